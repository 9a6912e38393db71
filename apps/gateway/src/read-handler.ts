import { ClientEvent, ErrorCode, ReadSelector, toIssues, type ReadAck } from '@notify/contracts';
import { markMessagesRead } from '@notify/inbox';
import type { HandlerDeps } from './gateway-deps.js';
import type { GatewaySocket } from './gateway-types.js';
import { errorAck } from './error-ack.js';
import { guardedHandler } from './guarded-handler.js';

/** `read` {ids} | {typeID} | {all: true}: marks the socket's own user's messages read; acks `{updated}`. */
export function handleRead(deps: HandlerDeps, socket: GatewaySocket): void {
  socket.on(
    ClientEvent.read,
    guardedHandler<ReadAck>(deps.logger, ClientEvent.read, async (payload, reply) => {
      const identity = socket.data.identity;
      if (!identity) {
        reply(errorAck(ErrorCode.unauthorized, 'login first'));
        return;
      }
      const selector = ReadSelector.safeParse(payload);
      if (!selector.success) {
        reply(errorAck(ErrorCode.invalidInput, 'read needs {ids}, {typeID} or {all: true}', toIssues(selector.error)));
        return;
      }
      try {
        reply({ updated: await markMessagesRead(deps, identity.uid, selector.data) });
      } catch (error) {
        deps.logger.warn({ err: error, uid: identity.uid }, 'read failed');
        reply(errorAck(ErrorCode.unavailable, 'the store is unreachable; retry later'));
      }
    }),
  );
}
