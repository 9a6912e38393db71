import { Router } from 'express';
import { SendBulkBody } from '@notify/contracts';
import { parseInput } from '../../middleware/parse-input.js';
import { jsonBody } from '../../middleware/read-body.js';
import { sendContextOf } from '../send-context.js';
import type { ApiDeps } from '../../api-deps.js';
import type { ApiMetrics } from '../../metrics/api-metrics.js';
import { SendBulk } from './send-bulk.js';

/** `POST /v1/bulk`, reading its body with its own limit (`BULK_BODY_LIMIT_BYTES`), before `/v1`'s. */
export function bulkRouter(deps: ApiDeps, apiMetrics: ApiMetrics): Router {
  const router = Router();
  const sendBulk = new SendBulk({ ...deps, apiMetrics });
  router.post('/', jsonBody({ limit: deps.config.BULK_BODY_LIMIT_BYTES }), async (req, res) => {
    const body = parseInput(SendBulkBody, req.body, 'body');
    const result = await sendBulk.execute(body, sendContextOf(req, res));
    res.status(202).json(result);
  });
  return router;
}
