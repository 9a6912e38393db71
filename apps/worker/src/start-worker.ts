import { createServer } from 'node:http';
import { hostname } from 'node:os';
import type { AddressInfo } from 'node:net';
import { Queue, Worker } from 'bullmq';
import { QUEUE_NAME } from '@notify/contracts';
import type { WorkerConfig } from '@notify/config';
import { createMetricsRegistry, createProbeHandler, logConnectionErrors, type Logger } from '@notify/observability';
import { createRedisConnection } from '@notify/redis';
import { BusPublisher } from '@notify/bus';
import { CountVersions, Inbox } from '@notify/inbox';
import { createStore } from '@notify/store';
import { createNotificationProcessor } from './notification-processor.js';
import { observeWorker, timedProcessor } from './observe-worker.js';
import { WorkerMetrics } from './worker-metrics.js';

/** A worker consuming the queue, with its probes and metrics served on its port. */
export interface RunningWorker {
  /** The probes' port (`WORKER_HTTP_PORT`, or the one the OS chose for 0). */
  readonly port: number;
  /** Lets active jobs finish, then closes every connection. */
  close(): Promise<void>;
}

/**
 * Starts a worker: Redis connections, store, the BullMQ worker on the `notifications` queue, and
 * the probes server on `WORKER_HTTP_PORT` at `HOST`. `main.ts` runs it for the process; tests run
 * it in-process.
 */
export async function startWorker(config: WorkerConfig, logger: Logger): Promise<RunningWorker> {
  const prefix = config.REDIS_PREFIX;
  // Patient connections: while Redis is down the worker waits and resumes by itself.
  const connection = createRedisConnection(config.REDIS_URL, { role: 'patient', connectionName: `${prefix}:worker` });
  const publisher = createRedisConnection(config.REDIS_URL, { role: 'patient', connectionName: `${prefix}:worker:bus` });
  logConnectionErrors(logger, 'redis', connection);
  logConnectionErrors(logger, 'redis (bus)', publisher);
  const disconnect = () => {
    connection.disconnect();
    publisher.disconnect();
  };
  const store = await createStore(config).catch((error: unknown) => {
    disconnect();
    throw error;
  });

  const registry = createMetricsRegistry('worker');
  // Only counts jobs (queue depth on scrape); shares the worker's connection, so it holds no extra socket.
  const queue = new Queue(QUEUE_NAME, { connection, prefix });
  const metrics = new WorkerMetrics({ registry, queue });
  const bus = new BusPublisher(publisher, { prefix, origin: `worker:${hostname()}:${process.pid}` });
  const inbox = new Inbox({ store, bus, versions: new CountVersions(publisher, { prefix }) });
  const processor = createNotificationProcessor({ store, bus, inbox, onStored: (kind, id) => metrics.recordStored(kind, id) });

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
  const close = async () => {
    // close() lets active jobs finish; anything left is taken over by another worker after its lock expires.
    await worker.close();
    await queue.close();
    server.close();
    await store.close();
    disconnect();
  };
  try {
    await worker.waitUntilReady();
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(config.WORKER_HTTP_PORT, config.HOST, () => {
        server.off('error', reject);
        resolve();
      });
    });
  } catch (error) {
    await close().catch(() => undefined);
    throw error;
  }
  return { port: (server.address() as AddressInfo).port, close };
}
