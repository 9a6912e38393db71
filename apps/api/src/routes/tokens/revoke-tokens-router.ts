import { Router, type Request } from 'express';
import { IdentifierInput, RevokeTokensBody, toIssues, type Issue } from '@notify/contracts';
import { InvalidInputError } from '../../errors/http-errors.js';
import type { ApiDeps } from '../../api-deps.js';
import { RevokeTokens } from './revoke-tokens.js';

/**
 * `POST /users/:uid/revoke-tokens` and `POST /companies/:companyID/revoke-tokens` (mounted on `/v1`):
 * the cut-off. The body is empty or `{}`.
 */
export function revokeTokensRouter(deps: ApiDeps): Router {
  const router = Router();
  const revokeTokens = new RevokeTokens(deps);

  router.post('/users/:uid/revoke-tokens', async (req, res) => {
    res.json(await revokeTokens.execute({ uid: parseRequest(req, 'uid') }));
  });

  router.post('/companies/:companyID/revoke-tokens', async (req, res) => {
    res.json(await revokeTokens.execute({ companyID: parseRequest(req, 'companyID') }));
  });

  return router;
}

/** The identifier in path parameter `param`; a 400 names every problem of it and of the body. */
function parseRequest(req: Request, param: 'uid' | 'companyID'): string {
  const issues: Issue[] = [];
  const id = IdentifierInput.safeParse(req.params[param]);
  if (!id.success) issues.push(...toIssues(id.error).map((issue) => ({ ...issue, path: issue.path || param })));
  if (req.body !== undefined) {
    const body = RevokeTokensBody.safeParse(req.body);
    if (!body.success) issues.push(...toIssues(body.error).map((issue) => ({ ...issue, path: issue.path || '(body)' })));
  }
  if (!id.success || issues.length > 0) throw new InvalidInputError(issues);
  return id.data;
}
