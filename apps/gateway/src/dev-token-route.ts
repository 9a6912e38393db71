import type { IncomingMessage, ServerResponse } from 'node:http';
import { z } from 'zod';
import { signBrowserToken } from '@notify/auth';
import { ErrorCode, IdentifierInput, TOKEN_TTL_DEFAULT_SECONDS, toIssues, type ApiErrorBody } from '@notify/contracts';
import { sendJson, splitTarget, type Logger } from '@notify/observability';

/** The dev token route's path. */
export const DEV_TOKEN_PATH = '/dev/token';

/** `?uid=&companyID=` of the dev token route; other query parameters (cache busters) are ignored. */
const DevTokenQuery = z.object({ uid: IdentifierInput, companyID: IdentifierInput });

/**
 * `GET /dev/token?uid=&companyID=` → `{token, expiresAt}`: a browser token (default lifetime, 1 h)
 * for whoever asks, so the demo page can connect without a web backend. It hands out any user's
 * token, so it exists only with `DEV_TOKEN_ROUTE` on (`npm start`); otherwise the path is 404.
 * Returns false for any other request, so callers can chain it.
 */
export function devTokenRoute(jwtSecret: string, logger: Logger) {
  return (req: IncomingMessage, res: ServerResponse): boolean => {
    const { path, search } = splitTarget(req.url);
    if (path !== DEV_TOKEN_PATH || req.method !== 'GET') return false;
    const query = DevTokenQuery.safeParse(Object.fromEntries(new URLSearchParams(search)));
    if (!query.success) {
      const body: ApiErrorBody = {
        error: { code: ErrorCode.invalidInput, message: 'needs ?uid=&companyID=', issues: toIssues(query.error) },
      };
      sendJson(res, 400, body);
      return true;
    }
    signBrowserToken(jwtSecret, query.data, TOKEN_TTL_DEFAULT_SECONDS).then(
      (token) => sendJson(res, 200, token),
      (error: unknown) => {
        logger.error({ err: error }, 'dev token: signing failed');
        sendJson(res, 500, { error: { code: ErrorCode.internal, message: 'could not sign a token' } });
      },
    );
    return true;
  };
}
