import express, { type Express } from 'express';
import { createProbeHandler } from '@notify/observability';
import type { ApiDeps } from './api-deps.js';
import { apiKeyAuth } from './middleware/api-key-auth.js';
import { errorHandler } from './middleware/error-handler.js';
import { observeRequests } from './middleware/observe-requests.js';
import { rateLimit } from './middleware/rate-limit.js';
import { jsonBody, utf8Query } from './middleware/read-body.js';
import { requestId } from './middleware/request-id.js';
import { NotFoundError } from './errors/http-errors.js';
import { ApiMetrics } from './metrics/api-metrics.js';
import { RateLimiter } from './rate-limit/rate-limiter.js';
import { docsRouter } from './openapi/docs-router.js';
import { openApiDocument } from './openapi/openapi-document.js';
import { BULL_BOARD_PATH, mountBullBoard } from './routes/bull-board/mount-bull-board.js';
import { messagesRouter } from './routes/messages/messages-router.js';
import { bulkRouter } from './routes/bulk/bulk-router.js';
import { dynamicsRouter } from './routes/dynamics/dynamics-router.js';
import { usersRouter } from './routes/users/users-router.js';
import { companiesRouter } from './routes/companies/companies-router.js';
import { objectsRouter } from './routes/objects/objects-router.js';
import { tokensRouter } from './routes/tokens/tokens-router.js';
import { revokeTokensRouter } from './routes/tokens/revoke-tokens-router.js';
import { pushRouter } from './routes/push/push-router.js';

/**
 * The api's Express app: request id, logging and metrics; probes; `/v1` behind API keys and the
 * rate limit; docs; Bull Board behind basic auth; `/push` (also at `/`) behind API keys and the
 * rate limit; then one error middleware.
 */
export function createApp(deps: ApiDeps): Express {
  const { config, logger } = deps;
  const app = express();
  app.disable('x-powered-by');
  app.set('query parser', 'simple');
  const apiMetrics = new ApiMetrics(deps.metrics);
  app.use(requestId());
  app.use(observeRequests(logger, apiMetrics));

  const probes = createProbeHandler({ registry: deps.metrics, readiness: deps.readiness });
  app.use((req, res, next) => {
    if (!probes(req, res)) next();
  });
  // One counter per API key for /push and /v1 alike; API_RATE_LIMIT=0 turns it off.
  const perSecond = config.API_RATE_LIMIT;
  const limit = rateLimit(perSecond > 0 ? new RateLimiter(deps.redis, { prefix: config.REDIS_PREFIX, perSecond }) : undefined, logger);

  // /v1 first: the producers' traffic passes no other router on its way (none of them serves a path below /v1).
  const v1 = express.Router();
  // The key is checked before the body is read, so an unauthenticated client cannot make the api parse a large body.
  v1.use(apiKeyAuth(config.API_KEYS));
  v1.use(limit);
  v1.use(utf8Query());
  // Before /v1's body parser: a bulk body may be larger (BULK_BODY_LIMIT_BYTES), and once read it is not read again.
  v1.use('/bulk', bulkRouter(deps, apiMetrics));
  v1.use(jsonBody({ limit: config.BODY_LIMIT_BYTES }));
  v1.use('/messages', messagesRouter(deps, apiMetrics));
  v1.use('/dynamics', dynamicsRouter(deps, apiMetrics));
  v1.use('/users', usersRouter(deps));
  v1.use('/companies', companiesRouter(deps));
  v1.use('/objects', objectsRouter(deps));
  v1.use('/tokens', tokensRouter(deps));
  v1.use(revokeTokensRouter(deps));
  app.use('/v1', v1);

  app.use(docsRouter(openApiDocument()));
  if (config.BULL_BOARD_PASSWORD) {
    mountBullBoard(app, { queues: deps.queue.bullQueues, user: config.BULL_BOARD_USER, password: config.BULL_BOARD_PASSWORD });
  } else {
    // Never open by default: without a password there is no board at all.
    logger.warn(`BULL_BOARD_PASSWORD is not set: Bull Board (${BULL_BOARD_PATH}) is off; set it to serve the board`);
  }
  // `/push` and `/`, the older push port's paths (its router reads bodies strictly as UTF-8 itself).
  app.use(pushRouter(deps, apiMetrics, limit));

  app.use((req, _res, next) => next(new NotFoundError(`no route for ${req.method} ${req.path}`)));
  app.use(errorHandler(logger));
  return app;
}
