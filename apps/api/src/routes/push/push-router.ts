import { Router, type Request, type RequestHandler } from 'express';
import type { ApiDeps } from '../../api-deps.js';
import { InvalidInputError } from '../../errors/http-errors.js';
import type { ApiMetrics } from '../../metrics/api-metrics.js';
import { apiKeyAuth } from '../../middleware/api-key-auth.js';
import { parseInput } from '../../middleware/parse-input.js';
import { formBody, jsonBody, utf8Query } from '../../middleware/read-body.js';
import { SendDynamic } from '../dynamics/send-dynamic.js';
import { SendMessages } from '../messages/send-messages.js';
import { sendContextOf } from '../send-context.js';
import { PushFields } from './push-fields.js';
import { PushRecord } from './push-record.js';

/** Where the older push port answers: `/push`, and the root path the older server answered on too. */
export const PUSH_PATHS = ['/push', '/'] as const;

const isRecord = (value: unknown): value is Record<string, unknown> =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

/** The query string's fields, then the body's (form or JSON), which win. */
function fieldsOf(req: Request): Record<string, unknown> {
  return { ...(req.query as Record<string, unknown>), ...(isRecord(req.body) ? req.body : {}) };
}

/** PHP forms send an unset optional field as an empty string (`url=`), meaning "absent"; `content` may be empty. */
function withoutEmptyFields(fields: Record<string, unknown>): Record<string, unknown> {
  return Object.fromEntries(Object.entries(fields).filter(([name, value]) => value !== '' || name === 'content'));
}

/**
 * `GET|POST /push` (and `/`), the older phpsocket.io push port: fields from a form, the query string
 * or JSON; the key as a Bearer header, a `key` field or, failing both, a `token` field. Answers
 * plain text `ok` / `offline`, and `fail` with the error's status (400 invalid, 401 key, 429 rate
 * limit, 503 Redis or store down), or with 200 under `PUSH_ALWAYS_200`. Mount it at the root.
 */
export function pushRouter(deps: ApiDeps, apiMetrics: ApiMetrics, rateLimit: RequestHandler): Router {
  const router = Router();
  const pushRecord = new PushRecord({
    sendMessages: new SendMessages({ ...deps, apiMetrics }),
    sendDynamic: new SendDynamic({ ...deps, apiMetrics }),
    redis: deps.redis,
    config: deps.config,
  });
  const limit = deps.config.BODY_LIMIT_BYTES;
  const alwaysOk = deps.config.PUSH_ALWAYS_200;

  const answerAsPlainText: RequestHandler = (_req, res, next) => {
    res.locals.plainTextErrors = true;
    if (alwaysOk) res.locals.errorsAs200 = true;
    next();
  };
  // An empty form field (`key=`) counts as absent here too.
  const keyOf = (req: Request) => {
    const { key, token } = fieldsOf(req);
    return key || token;
  };
  const push: RequestHandler = async (req, res) => {
    if (req.body !== undefined && !isRecord(req.body)) {
      throw new InvalidInputError([{ path: '(body)', message: 'must be a form or a JSON object' }]);
    }
    const fields = parseInput(PushFields, withoutEmptyFields(fieldsOf(req)), 'body');
    res.type('text/plain').send(await pushRecord.execute(fields, sendContextOf(req, res)));
  };
  // Route-level, not router.use(): mounted at the root, these must not run for any other path.
  const chain: RequestHandler[] = [
    answerAsPlainText,
    // The key may be a body field, so the body is read before the key is checked (unlike /v1);
    // the query string and the body are refused with 400 when they are not UTF-8.
    utf8Query(),
    formBody({ limit }),
    jsonBody({ limit }),
    apiKeyAuth(deps.config.API_KEYS, { fallback: keyOf }),
    rateLimit,
    push,
  ];
  for (const path of PUSH_PATHS) {
    router.get(path, ...chain);
    router.post(path, ...chain);
  }
  return router;
}
