import { Router } from 'express';
import { SendMessageBody } from '@notify/contracts';
import { parseInput } from '../../middleware/parse-input.js';
import type { ApiDeps } from '../../api-deps.js';
import { SendMessages } from './send-messages.js';

/** `POST /v1/messages`. */
export function messagesRouter(deps: ApiDeps): Router {
  const router = Router();
  const sendMessages = new SendMessages(deps);
  router.post('/', async (req, res) => {
    const body = parseInput(SendMessageBody, req.body, 'body');
    const result = await sendMessages.execute(body, {
      apiKeyId: res.locals.apiKeyId as string,
      idempotencyKey: req.get('idempotency-key'),
      requestId: res.locals.requestId as string,
    });
    res.status(202).json(result);
  });
  return router;
}
