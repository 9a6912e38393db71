import { Router } from 'express';
import { SendDynamicBody } from '@notify/contracts';
import { parseInput } from '../../middleware/parse-input.js';
import { sendContextOf } from '../send-context.js';
import type { ApiDeps } from '../../api-deps.js';
import type { ApiMetrics } from '../../metrics/api-metrics.js';
import { SendDynamic } from './send-dynamic.js';

/** `POST /v1/dynamics`. */
export function dynamicsRouter(deps: ApiDeps, apiMetrics: ApiMetrics): Router {
  const router = Router();
  const sendDynamic = new SendDynamic({ ...deps, apiMetrics });
  router.post('/', async (req, res) => {
    const body = parseInput(SendDynamicBody, req.body, 'body');
    const result = await sendDynamic.execute(body, sendContextOf(req, res));
    res.status(202).json(result);
  });
  return router;
}
