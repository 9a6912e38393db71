import { Router } from 'express';
import { IdentifierInput, ListMessagesQuery, MessageChange, ReadSelector, UnreadCountQuery } from '@notify/contracts';
import { readPage } from '@notify/inbox';
import { parseInput } from '../../middleware/parse-input.js';
import type { ApiDeps } from '../../api-deps.js';

/**
 * A user's inbox: `GET /messages`, `GET /unread-count`, and one `POST /messages/<change>` per
 * change (`read`, `seen`, `unread`, `archive`, `unarchive`, `delete`).
 */
export function usersRouter(deps: ApiDeps): Router {
  const router = Router();
  const uidOf = (value: unknown) => parseInput(IdentifierInput, value, 'uid');

  router.get('/:uid/messages', async (req, res) => {
    const receiverID = uidOf(req.params.uid);
    const { limit, before, after, ...filters } = parseInput(ListMessagesQuery, req.query, 'query');
    res.json(await readPage({ limit, before, after }, (bounds) => deps.store.listMessages({ ...filters, ...bounds, receiverID })));
  });

  router.get('/:uid/unread-count', async (req, res) => {
    const receiverID = uidOf(req.params.uid);
    const { companyID } = parseInput(UnreadCountQuery, req.query, 'query');
    res.json(await deps.inbox.counts(receiverID, companyID));
  });

  for (const change of Object.values(MessageChange)) {
    router.post(`/:uid/messages/${change}`, async (req, res) => {
      const uid = uidOf(req.params.uid);
      const selector = parseInput(ReadSelector, req.body, 'body');
      res.json({ updated: await deps.inbox.change(uid, change, selector) });
    });
  }

  return router;
}
