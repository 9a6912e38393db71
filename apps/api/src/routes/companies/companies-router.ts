import { Router } from 'express';
import { IdentifierInput, PageQuery } from '@notify/contracts';
import { readPage } from '@notify/inbox';
import { readOnline } from '@notify/presence';
import { parseInput } from '../../middleware/parse-input.js';
import { withDeadline } from '../../errors/with-deadline.js';
import type { ApiDeps } from '../../api-deps.js';
import type { OnlineUsersResponse } from './online-users.js';

/** A company's activity feed and who of it is online. */
export function companiesRouter(deps: ApiDeps): Router {
  const router = Router();
  const companyOf = (value: unknown) => parseInput(IdentifierInput, value, 'companyID');

  router.get('/:companyID/dynamics', async (req, res) => {
    const companyID = companyOf(req.params.companyID);
    const request = parseInput(PageQuery, req.query, 'query');
    res.json(await readPage(request, (bounds) => deps.store.listCompanyDynamics({ ...bounds, companyID })));
  });

  router.get('/:companyID/online', async (req, res) => {
    const companyID = companyOf(req.params.companyID);
    const online = readOnline(deps.redis, deps.config.REDIS_PREFIX, companyID);
    const answer: OnlineUsersResponse = await withDeadline(online, deps.config.UNAVAILABLE_AFTER_MS, 'Redis');
    res.json(answer);
  });

  return router;
}
