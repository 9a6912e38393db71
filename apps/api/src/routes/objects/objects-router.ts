import { Router } from 'express';
import { IdentifierInput, ObjectLogsQuery } from '@notify/contracts';
import { parseInput } from '../../middleware/parse-input.js';
import type { ApiDeps } from '../../api-deps.js';
import { toPage } from '../to-page.js';

/** `GET /v1/objects/:objectType/:objectID/logs`: the operation log of one object. */
export function objectsRouter(deps: ApiDeps): Router {
  const router = Router();
  router.get('/:objectType/:objectID/logs', async (req, res) => {
    const objectType = parseInput(IdentifierInput, req.params.objectType, 'objectType');
    const objectID = parseInput(IdentifierInput, req.params.objectID, 'objectID');
    const query = parseInput(ObjectLogsQuery, req.query, 'query');
    res.json(await toPage(query.limit, (limit) => deps.store.listObjectLogs({ ...query, objectType, objectID, limit })));
  });
  return router;
}
