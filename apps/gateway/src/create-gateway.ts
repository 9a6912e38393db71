import { createServer, type Server as HttpServer } from 'node:http';
import { Server } from 'socket.io';
import { createProbeHandler, type ReadinessCheck, type Registry } from '@notify/observability';
import type { GatewayDeps } from './gateway-deps.js';
import type { GatewayServer } from './gateway-types.js';
import { handshakeAuth } from './handshake-auth.js';
import { handleLogin } from './login-handler.js';
import { handleRead } from './read-handler.js';
import { startSession } from './open-session.js';

export interface Gateway {
  http: HttpServer;
  io: GatewayServer;
}

/** The gateway's HTTP server (probes) with socket.io on it, every handler wired. */
export function createGateway(deps: GatewayDeps, probes: { registry: Registry; readiness: ReadinessCheck[] }): Gateway {
  const probeHandler = createProbeHandler(probes);
  const http = createServer((req, res) => {
    if (!probeHandler(req, res)) res.writeHead(404, { 'content-type': 'text/plain' }).end('not found');
  });
  const origins = deps.config.CORS_ORIGINS;
  const io: GatewayServer = new Server(http, {
    maxHttpBufferSize: deps.config.SOCKET_MAX_BYTES,
    cors: { origin: origins.includes('*') ? '*' : [...origins] },
    serveClient: false,
  });
  io.use(handshakeAuth(deps.config.JWT_SECRET));
  io.on('connection', (socket) => {
    handleLogin(deps, socket);
    handleRead(deps, socket);
    const identity = socket.data.identity;
    if (identity) void startSession(deps, socket, identity);
  });
  return { http, io };
}
