import { createServer } from 'node:http';
import { hostname } from 'node:os';
import type { AddressInfo } from 'node:net';
import { Queue, Worker } from 'bullmq';
import { queuePartitions } from '@notify/contracts';
import { redisTarget, storeOptions, type WorkerConfig } from '@notify/config';
import { createMetricsRegistry, createProbeHandler, logConnectionErrors, type Logger } from '@notify/observability';
import { checkRedis, createRedisConnection, isCluster } from '@notify/redis';
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
 * Starts a worker: Redis connections, store, a BullMQ worker on each partition of the notification
 * queue (`notifications`, and `notifications-1` … with `QUEUE_PARTITIONS` > 1; each runs up to
 * `WORKER_CONCURRENCY` jobs), and the probes server on `WORKER_HTTP_PORT` at `HOST`. `main.ts` runs
 * it for the process; tests run it in-process.
 */
export async function startWorker(config: WorkerConfig, logger: Logger): Promise<RunningWorker> {
  const prefix = config.REDIS_PREFIX;
  // Patient connections: while Redis is down the worker waits and resumes by itself.
  const target = redisTarget(config);
  const connection = createRedisConnection(target, { role: 'patient', connectionName: `${prefix}:worker` });
  const publisher = createRedisConnection(target, { role: 'patient', connectionName: `${prefix}:worker:bus` });
  logConnectionErrors(logger, 'redis', connection);
  logConnectionErrors(logger, 'redis (bus)', publisher);
  const disconnect = () => {
    connection.disconnect();
    publisher.disconnect();
  };
  const store = await createStore(storeOptions(config)).catch((error: unknown) => {
    disconnect();
    throw error;
  });

  const registry = createMetricsRegistry('worker');
  const partitions = queuePartitions(prefix, config.QUEUE_PARTITIONS, isCluster(connection));
  // Only count jobs (queue depth on scrape); they share the worker's connection, so they hold no extra socket.
  const queues = partitions.map((partition) => new Queue(partition.name, { connection, prefix: partition.prefix }));
  const metrics = new WorkerMetrics({ registry, queue: allPartitions(queues) });
  const bus = new BusPublisher(publisher, { prefix, origin: `worker:${hostname()}:${process.pid}` });
  const inbox = new Inbox({ store, bus, versions: new CountVersions(publisher, { prefix }) });
  const processor = createNotificationProcessor({ store, bus, inbox, onStored: (kind, id) => metrics.recordStored(kind, id) });

  const workers = partitions.map((partition) => {
    const worker = new Worker(partition.name, timedProcessor(processor, metrics), {
      connection,
      prefix: partition.prefix,
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
    return worker;
  });

  const probes = createProbeHandler({
    registry,
    readiness: [
      { name: 'redis', check: () => checkRedis(connection) },
      { name: 'store', check: () => store.ping() },
    ],
  });
  const server = createServer((req, res) => {
    if (!probes(req, res)) res.writeHead(404).end();
  });
  const close = async () => {
    // close() lets active jobs finish; anything left is taken over by another worker after its lock expires.
    await Promise.all(workers.map((worker) => worker.close()));
    await Promise.all(queues.map((queue) => queue.close()));
    server.close();
    await store.close();
    disconnect();
  };
  try {
    await Promise.all(workers.map((worker) => worker.waitUntilReady()));
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

/** The job counts of every partition, added up: what `notify_worker_queue_depth` reports. */
function allPartitions(queues: readonly Queue[]): Pick<Queue, 'getJobCounts'> {
  return {
    async getJobCounts(...states) {
      const counts = await Promise.all(queues.map((queue) => queue.getJobCounts(...states)));
      const total: Record<string, number> = {};
      for (const count of counts) for (const [state, n] of Object.entries(count)) total[state] = (total[state] ?? 0) + n;
      return total;
    },
  };
}
