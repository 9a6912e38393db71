import { Router } from 'express';
import { MintTokenBody } from '@notify/contracts';
import { signBrowserToken } from '@notify/auth';
import { parseInput } from '../../middleware/parse-input.js';
import type { ApiDeps } from '../../api-deps.js';

/** `POST /v1/tokens`: a browser token the web backend hands to the page it renders. */
export function tokensRouter(deps: ApiDeps): Router {
  const router = Router();
  router.post('/', async (req, res) => {
    const { uid, companyID, ttlSeconds } = parseInput(MintTokenBody, req.body, 'body');
    res.json(await signBrowserToken(deps.config.JWT_SECRET, { uid, companyID }, ttlSeconds));
  });
  return router;
}
