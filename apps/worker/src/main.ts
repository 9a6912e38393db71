import { createServer } from 'node:http';
import { hostname } from 'node:os';
import type { AddressInfo } from 'node:net';
import { Queue, Worker } from 'bullmq';
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
import { observeWorker, timedProcessor } from './observe-worker.js';
import { WorkerMetrics } from './worker-metrics.js';

const config = loadConfigOrExit(loadWorkerConfig, 'worker');
const logger = createLogger({ name: 'worker', level: config.LOG_LEVEL, format: config.LOG_FORMAT });
const prefix = config.REDIS_PREFIX;

// Patient connections: while Redis is down the worker waits and resumes by itself.
const connection = createRedisConnection(config.REDIS_URL, { role: 'patient', connectionName: `${prefix}:worker` });
const publisher = createRedisConnection(config.REDIS_URL, { role: 'patient', connectionName: `${prefix}:worker:bus` });
logConnectionErrors(logger, 'redis', connection);
logConnectionErrors(logger, 'redis (bus)', publisher);
const store = await createStore(config);

const registry = createMetricsRegistry('worker');
// Only counts jobs (queue depth on scrape); shares the worker's connection, so it holds no extra socket.
const queue = new Queue(QUEUE_NAME, { connection, prefix });
const metrics = new WorkerMetrics({ registry, queue });
const bus = new BusPublisher(publisher, { prefix, origin: `worker:${hostname()}:${process.pid}` });
const processor = createNotificationProcessor({ store, bus, onStored: (job, id) => metrics.recordStored(job, id) });

const worker = new Worker(QUEUE_NAME, timedProcessor(processor, metrics), {
  connection,
  prefix,
  concurrency: config.WORKER_CONCURRENCY,
  lockDuration: config.WORKER_LOCK_DURATION_MS,
  // A stalled job is moved back on the second check that finds it without a lock, so checking
  // twice per lock period bounds the takeover at about two lock periods.
  stalledInterval: Math.max(1000, Math.floor(config.WORKER_LOCK_DURATION_MS / 2)),
  // A job whose worker was killed is retried, not failed, even if that happens a few times.
  maxStalledCount: 5,
});
// A failed attempt (a store write error, say) is logged once with its job id and retried with the
// backoff the api gave the job; the worker itself keeps running.
observeWorker(worker, { logger, metrics });

const probes = createProbeHandler({
  registry,
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
  await queue.close();
  server.close();
  await store.close();
  connection.disconnect();
  publisher.disconnect();
});
