import { Router } from 'express';
import { SendMessageBody } from '@notify/contracts';
import { parseInput } from '../../middleware/parse-input.js';
import { sendContextOf } from '../send-context.js';
import type { ApiDeps } from '../../api-deps.js';
import type { ApiMetrics } from '../../metrics/api-metrics.js';
import { SendMessages } from './send-messages.js';

/** `POST /v1/messages`. */
export function messagesRouter(deps: ApiDeps, apiMetrics: ApiMetrics): Router {
  const router = Router();
  const sendMessages = new SendMessages({ ...deps, apiMetrics });
  router.post('/', async (req, res) => {
    const body = parseInput(SendMessageBody, req.body, 'body');
    const result = await sendMessages.execute(body, sendContextOf(req, res));
    res.status(202).json(result);
  });
  return router;
}
