import { loadApiConfig, loadConfigOrExit } from '@notify/config';
import { createLogger, shutdownOnSignal, signalReady } from '@notify/observability';
import { RedisUnreachableError, startApi } from './start-api.js';

const config = loadConfigOrExit(loadApiConfig, 'api');
const logger = createLogger({ name: 'api', level: config.LOG_LEVEL, format: config.LOG_FORMAT });

const api = await startApi(config, logger).catch((error: unknown) => {
  if (!(error instanceof RedisUnreachableError)) throw error;
  logger.fatal(error.message);
  process.exit(1);
});
signalReady(logger, { port: api.port });
shutdownOnSignal(logger, api.close);
