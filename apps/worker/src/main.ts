import { loadConfigOrExit, loadWorkerConfig } from '@notify/config';
import { createLogger, shutdownOnSignal, signalReady } from '@notify/observability';
import { startWorker } from './start-worker.js';

const config = loadConfigOrExit(loadWorkerConfig, 'worker');
const logger = createLogger({ name: 'worker', level: config.LOG_LEVEL, format: config.LOG_FORMAT });

const worker = await startWorker(config, logger);
signalReady(logger, { port: worker.port, concurrency: config.WORKER_CONCURRENCY });
shutdownOnSignal(logger, worker.close);
