import { Router } from 'express';
import { SendDynamicBody } from '@notify/contracts';
import { parseInput } from '../../middleware/parse-input.js';
import type { ApiDeps } from '../../api-deps.js';
import { SendDynamic } from './send-dynamic.js';

/** `POST /v1/dynamics`. */
export function dynamicsRouter(deps: ApiDeps): Router {
  const router = Router();
  const sendDynamic = new SendDynamic(deps);
  router.post('/', async (req, res) => {
    const body = parseInput(SendDynamicBody, req.body, 'body');
    const result = await sendDynamic.execute(body, {
      apiKeyId: res.locals.apiKeyId as string,
      idempotencyKey: req.get('idempotency-key'),
      requestId: res.locals.requestId as string,
    });
    res.status(202).json(result);
  });
  return router;
}
