import express, { type Express } from 'express';
import { createProbeHandler } from '@notify/observability';
import type { ApiDeps } from './api-deps.js';
import { apiKeyAuth } from './middleware/api-key-auth.js';
import { errorHandler } from './middleware/error-handler.js';
import { requestId } from './middleware/request-id.js';
import { NotFoundError } from './errors/http-errors.js';
import { messagesRouter } from './routes/messages/messages-router.js';
import { dynamicsRouter } from './routes/dynamics/dynamics-router.js';
import { usersRouter } from './routes/users/users-router.js';
import { companiesRouter } from './routes/companies/companies-router.js';
import { objectsRouter } from './routes/objects/objects-router.js';
import { tokensRouter } from './routes/tokens/tokens-router.js';

/** The api's Express app: probes, then `/v1` behind API keys, then one error middleware. */
export function createApp(deps: ApiDeps): Express {
  const app = express();
  app.disable('x-powered-by');
  app.set('query parser', 'simple');
  app.use(requestId());

  const probes = createProbeHandler({ registry: deps.metrics, readiness: deps.readiness });
  app.use((req, res, next) => {
    if (!probes(req, res)) next();
  });

  const v1 = express.Router();
  // The key is checked before the body is read, so an unauthenticated client cannot make the api parse 256 KiB.
  v1.use(apiKeyAuth(deps.config.API_KEYS));
  v1.use(express.json({ limit: deps.config.BODY_LIMIT_BYTES, strict: false }));
  v1.use('/messages', messagesRouter(deps));
  v1.use('/dynamics', dynamicsRouter(deps));
  v1.use('/users', usersRouter(deps));
  v1.use('/companies', companiesRouter(deps));
  v1.use('/objects', objectsRouter(deps));
  v1.use('/tokens', tokensRouter(deps));
  app.use('/v1', v1);

  app.use((req, _res, next) => next(new NotFoundError(`no route for ${req.method} ${req.path}`)));
  app.use(errorHandler(deps.logger));
  return app;
}
