import { loadConfigOrExit, loadGatewayConfig } from '@notify/config';
import { createLogger, shutdownOnSignal, signalReady } from '@notify/observability';
import { startGateway } from './start-gateway.js';

const config = loadConfigOrExit(loadGatewayConfig, 'gateway');
const logger = createLogger({ name: 'gateway', level: config.LOG_LEVEL, format: config.LOG_FORMAT });
if (config.ALLOW_UNSIGNED_LOGIN) {
  logger.warn('ALLOW_UNSIGNED_LOGIN is on: any page can log in as any user without a token. Development and migration only.');
}
if (config.ALLOW_EIO3 && config.CORS_ORIGINS.includes('*')) {
  logger.warn('ALLOW_EIO3 is on but CORS_ORIGINS is *: socket.io 1.x/2.x pages on another origin send credentialed requests, which need their origin listed in CORS_ORIGINS.');
}
if (config.DEV_TOKEN_ROUTE) {
  logger.warn('DEV_TOKEN_ROUTE is on: GET /dev/token hands out a token for any user to anyone. Development only.');
}

const gateway = await startGateway(config, logger);
signalReady(logger, { port: gateway.port, gatewayId: gateway.gatewayId });
shutdownOnSignal(logger, gateway.close);
