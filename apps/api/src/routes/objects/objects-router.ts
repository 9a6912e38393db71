import { Router } from 'express';
import { IdentifierInput, ObjectLogsQuery } from '@notify/contracts';
import { readPage } from '@notify/inbox';
import { parseInput } from '../../middleware/parse-input.js';
import type { ApiDeps } from '../../api-deps.js';

/** `GET /v1/objects/:objectType/:objectID/logs`: the operation log of one object. */
export function objectsRouter(deps: ApiDeps): Router {
  const router = Router();
  router.get('/:objectType/:objectID/logs', async (req, res) => {
    const objectType = parseInput(IdentifierInput, req.params.objectType, 'objectType');
    const objectID = parseInput(IdentifierInput, req.params.objectID, 'objectID');
    const { companyID, ...request } = parseInput(ObjectLogsQuery, req.query, 'query');
    res.json(await readPage(request, (bounds) => deps.store.listObjectLogs({ ...bounds, companyID, objectType, objectID })));
  });
  return router;
}
