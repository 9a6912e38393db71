import { createServer, type IncomingMessage, type Server as HttpServer, type ServerResponse } from 'node:http';
import { Server } from 'socket.io';
import { createProbeHandler, type ReadinessCheck, type Registry } from '@notify/observability';
import type { GatewayDeps, HandlerDeps } from './gateway-deps.js';
import { GatewayMetrics } from './gateway-metrics.js';
import type { GatewayServer } from './gateway-types.js';
import { browserScript } from './browser-script.js';
import { demoPage } from './demo-page.js';
import { devTokenRoute } from './dev-token-route.js';
import { handshakeAuth } from './handshake-auth.js';
import { handleLogin } from './login-handler.js';
import { handleMessageChanges } from './message-change-handlers.js';
import { handleInboxRequests } from './inbox-request-handlers.js';
import { startSession } from './open-session.js';

export interface Gateway {
  http: HttpServer;
  io: GatewayServer;
  /** Registered on the registry given to {@link createGateway}; the bus bridge reports to it too. */
  metrics: GatewayMetrics;
}

/** Answers a request and returns true, or returns false to let the next route try. */
type Route = (req: IncomingMessage, res: ServerResponse) => boolean;

/**
 * The gateway's HTTP server (probes and metrics, the browser script, the demo page, the dev token
 * route when `DEV_TOKEN_ROUTE` is on) with socket.io on it, every handler wired.
 */
export function createGateway(deps: GatewayDeps, probes: { registry: Registry; readiness: ReadinessCheck[] }): Gateway {
  const routes: Route[] = [
    createProbeHandler(probes),
    ...(deps.config.DEV_TOKEN_ROUTE ? [devTokenRoute(deps.config.JWT_SECRET, deps.logger)] : []),
    browserScript(deps.logger),
    demoPage(deps.logger),
  ];
  const http = createServer((req, res) => {
    if (!routes.some((route) => route(req, res))) res.writeHead(404, { 'content-type': 'text/plain' }).end('not found');
  });
  const origins = deps.config.CORS_ORIGINS;
  const io: GatewayServer = new Server(http, {
    maxHttpBufferSize: deps.config.SOCKET_MAX_BYTES,
    cors: { origin: origins.includes('*') ? '*' : [...origins] },
    // The demo page loads socket.io's own browser client from /socket.io/socket.io.min.js: always the server's version.
    serveClient: true,
  });
  const metrics = new GatewayMetrics(probes.registry, io);
  const handlerDeps: HandlerDeps = { ...deps, metrics };
  io.use(handshakeAuth(deps.config.JWT_SECRET, deps.logger));
  io.on('connection', (socket) => {
    handleLogin(handlerDeps, socket);
    handleMessageChanges(handlerDeps, socket);
    handleInboxRequests(handlerDeps, socket);
    const identity = socket.data.identity;
    if (identity) void startSession(handlerDeps, socket, identity);
  });
  return { http, io, metrics };
}
