import { z } from 'zod';
import { CatchUpRequest, ClientEvent, ListDynamicsRequest, ListMessagesRequest, type CatchUpList } from '@notify/contracts';
import { readPage } from '@notify/inbox';
import type { HandlerDeps } from './gateway-deps.js';
import type { GatewaySocket } from './gateway-types.js';
import { onIdentifiedRequest } from './identified-request.js';

/**
 * A page's own reads, answered in the ack and scoped by the socket's identity alone:
 * `list_messages`, `list_dynamics` (its company's feed), `counts` and `catch_up`.
 */
export function handleInboxRequests(deps: HandlerDeps, socket: GatewaySocket): void {
  const { store, inbox } = deps;
  onIdentifiedRequest(deps, socket, ClientEvent.listMessages, ListMessagesRequest, 'list_messages takes the filters and cursor of GET /v1/users/:uid/messages', ({ uid }, request) => {
    const { limit, before, after, ...filter } = request;
    return readPage({ limit, before, after }, (bounds) => store.listMessages({ ...filter, ...bounds, receiverID: uid }));
  });
  onIdentifiedRequest(deps, socket, ClientEvent.listDynamics, ListDynamicsRequest, 'list_dynamics takes limit and before or after', ({ companyID }, request) =>
    readPage(request, (bounds) => store.listCompanyDynamics({ ...bounds, companyID })),
  );
  onIdentifiedRequest(deps, socket, ClientEvent.counts, z.strictObject({}), 'counts takes no fields', ({ uid }) => inbox.counts(uid));
  onIdentifiedRequest(deps, socket, ClientEvent.catchUp, CatchUpRequest, 'catch_up takes {messages: {oldest, filter?}, dynamics: {oldest}}', async ({ uid, companyID }, request) => {
    const gapLimit = deps.settings.catchUpLimit;
    // Counts first: lists read after them are at least as new, and the page keeps the newest counts.
    const counts = await inbox.counts(uid);
    const within = <T>(items: T[]): CatchUpList<T> => (items.length > gapLimit ? { complete: false } : { complete: true, items });
    const messages = request.messages && within(
      await store.listMessages({ ...(request.messages.filter ?? { archived: false }), receiverID: uid, atOrAfter: request.messages.oldest, limit: gapLimit + 1 }),
    );
    const dynamics = request.dynamics && within(
      await store.listCompanyDynamics({ companyID, atOrAfter: request.dynamics.oldest, limit: gapLimit + 1 }),
    );
    const complete = (messages?.complete ?? true) && (dynamics?.complete ?? true);
    return { complete, ...(messages ? { messages } : {}), ...(dynamics ? { dynamics } : {}), counts };
  });
}
