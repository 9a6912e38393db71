import { MessageChange, ReadSelector } from '@notify/contracts';
import type { HandlerDeps } from './gateway-deps.js';
import type { GatewaySocket } from './gateway-types.js';
import { onIdentifiedRequest } from './identified-request.js';

/**
 * `read`, `seen`, `unread`, `archive`, `unarchive`, `delete` with `{ids}`, `{typeID}`, `{all: true}`
 * or `{upTo}`: changes the socket's own user's messages; acks `{updated}`. Every page of the user
 * hears of it through the bus (`msg_*` and `unread_count`), this one included.
 */
export function handleMessageChanges(deps: HandlerDeps, socket: GatewaySocket): void {
  for (const change of Object.values(MessageChange)) {
    onIdentifiedRequest(deps, socket, change, ReadSelector, `${change} needs {ids}, {typeID}, {all: true} or {upTo}`, async ({ uid }, selector) => ({
      updated: await deps.inbox.change(uid, change, selector),
    }));
  }
}
