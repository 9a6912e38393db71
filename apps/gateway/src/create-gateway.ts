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
import { asciiOnlyPacketsForEio3 } from './older-pages/ascii-only-packets.js';
import { handleRefresh } from './refresh-handler.js';
import { TokenSessions } from './token-sessions.js';
import { SocketRateLimit } from './socket-rate-limit.js';

export interface Gateway {
  http: HttpServer;
  io: GatewayServer;
  /** Registered on the registry given to {@link createGateway}; the bus bridge reports to it too. */
  metrics: GatewayMetrics;
  /** Token expiry and revocation of this gateway's sockets; the bus bridge hands it `tokens.revoked`. */
  sessions: TokenSessions;
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
    ...(deps.settings.devTokenRoute ? [devTokenRoute(deps.settings.jwtSecret, deps.logger)] : []),
    browserScript(deps.logger),
    demoPage(deps.logger),
  ];
  const http = createServer((req, res) => {
    if (!routes.some((route) => route(req, res))) res.writeHead(404, { 'content-type': 'text/plain' }).end('not found');
  });
  const origins = deps.settings.corsOrigins;
  const io: GatewayServer = new Server(http, {
    maxHttpBufferSize: deps.settings.socketMaxBytes,
    // Listed origins get themselves back with credentials, which socket.io 1.x/2.x clients send; `*` never does.
    cors: origins.includes('*') ? { origin: '*' } : { origin: [...origins], credentials: true },
    // socket.io 1.x/2.x pages (Engine.IO protocol 3); see docs/migrating-from-phpsocket-io.md.
    allowEIO3: deps.settings.allowEio3,
    // The demo page loads socket.io's own browser client from /socket.io/socket.io.min.js: always the server's version.
    serveClient: true,
  });
  if (deps.settings.allowEio3) asciiOnlyPacketsForEio3(io);
  const metrics = new GatewayMetrics(probes.registry, io);
  const sessions = new TokenSessions(io, deps.tokens, metrics, deps.logger);
  const handlerDeps: HandlerDeps = { ...deps, metrics, sessions };
  io.use(handshakeAuth(deps.tokens, deps.logger));
  const rateLimit = new SocketRateLimit({
    perSecond: deps.settings.socketEventsPerSecond,
    burst: deps.settings.socketEventBurst,
    logger: deps.logger,
    registry: probes.registry,
  });
  io.on('connection', (socket) => {
    // First, so an event over the limit reaches no handler.
    rateLimit.apply(socket);
    handleLogin(handlerDeps, socket);
    handleMessageChanges(handlerDeps, socket);
    handleInboxRequests(handlerDeps, socket);
    handleRefresh(handlerDeps, socket);
    if (socket.data.token) sessions.hold(socket, socket.data.token);
    const identity = socket.data.identity;
    if (identity) void startSession(handlerDeps, socket, identity);
  });
  return { http, io, metrics, sessions };
}
