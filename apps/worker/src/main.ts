import { createServer } from 'node:http';
import { hostname } from 'node:os';
import type { AddressInfo } from 'node:net';
import { Worker } from 'bullmq';
import { QUEUE_NAME } from '@notify/contracts';
import { loadConfigOrExit, loadWorkerConfig } from '@notify/config';
import {
  createLogger,
  createMetricsRegistry,
  createProbeHandler,
  logConnectionErrors,
  shutdownOnSignal,
} from '@notify/observability';
import { createRedisConnection } from '@notify/redis';
import { BusPublisher } from '@notify/bus';
import { createStore } from '@notify/store';
import { createNotificationProcessor } from './notification-processor.js';

const config = loadConfigOrExit(loadWorkerConfig, 'worker');
const logger = createLogger({ name: 'worker', level: config.LOG_LEVEL, format: config.LOG_FORMAT });
const prefix = config.REDIS_PREFIX;

// Patient connections: while Redis is down the worker waits and resumes by itself.
const connection = createRedisConnection(config.REDIS_URL, { role: 'patient', connectionName: `${prefix}:worker` });
const publisher = createRedisConnection(config.REDIS_URL, { role: 'patient', connectionName: `${prefix}:worker:bus` });
logConnectionErrors(logger, 'redis', connection);
logConnectionErrors(logger, 'redis (bus)', publisher);
const store = await createStore(config);

const worker = new Worker(
  QUEUE_NAME,
  createNotificationProcessor({ store, bus: new BusPublisher(publisher, { prefix, origin: `worker:${hostname()}:${process.pid}` }) }),
  {
    connection,
    prefix,
    concurrency: config.WORKER_CONCURRENCY,
    lockDuration: config.WORKER_LOCK_DURATION_MS,
    stalledInterval: config.WORKER_LOCK_DURATION_MS,
    // A job whose worker was killed is retried, not failed, even if that happens a few times.
    maxStalledCount: 5,
  },
);
worker.on('failed', (job, error) => {
  const final = job ? job.attemptsMade >= (job.opts.attempts ?? 1) : true;
  logger[final ? 'error' : 'warn']({ jobId: job?.id, job: job?.name, attempts: job?.attemptsMade, err: error }, final ? 'job failed for good' : 'job failed; will retry');
});
worker.on('error', (error) => logger.warn({ err: error }, `worker: ${error.message}`));

const probes = createProbeHandler({
  registry: createMetricsRegistry('worker'),
  readiness: [
    { name: 'redis', check: () => connection.ping() },
    { name: 'store', check: () => store.ping() },
  ],
});
const server = createServer((req, res) => {
  if (!probes(req, res)) res.writeHead(404).end();
});
await worker.waitUntilReady();
server.listen(config.WORKER_HTTP_PORT, config.HOST, () => {
  logger.info({ port: (server.address() as AddressInfo).port, concurrency: config.WORKER_CONCURRENCY }, 'ready');
});

shutdownOnSignal(logger, async () => {
  // close() lets active jobs finish; anything left is taken over by another worker after its lock expires.
  await worker.close();
  server.close();
  await store.close();
  connection.disconnect();
  publisher.disconnect();
});
