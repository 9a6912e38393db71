import { Router } from 'express';
import { IdentifierInput, ListMessagesQuery, ReadSelector, UnreadCountQuery } from '@notify/contracts';
import { markMessagesRead } from '@notify/inbox';
import { parseInput } from '../../middleware/parse-input.js';
import type { ApiDeps } from '../../api-deps.js';
import { toPage } from '../to-page.js';

/** A user's inbox: `GET /messages`, `GET /unread-count`, `POST /messages/read`. */
export function usersRouter(deps: ApiDeps): Router {
  const router = Router();
  const uidOf = (value: unknown) => parseInput(IdentifierInput, value, 'uid');

  router.get('/:uid/messages', async (req, res) => {
    const receiverID = uidOf(req.params.uid);
    const query = parseInput(ListMessagesQuery, req.query, 'query');
    res.json(await toPage(query.limit, (limit) => deps.store.listMessages({ ...query, receiverID, limit })));
  });

  router.get('/:uid/unread-count', async (req, res) => {
    const receiverID = uidOf(req.params.uid);
    const { companyID } = parseInput(UnreadCountQuery, req.query, 'query');
    res.json(await deps.store.unreadCount(receiverID, companyID));
  });

  router.post('/:uid/messages/read', async (req, res) => {
    const uid = uidOf(req.params.uid);
    const selector = parseInput(ReadSelector, req.body, 'body');
    res.json({ updated: await markMessagesRead(deps, uid, selector) });
  });

  return router;
}
