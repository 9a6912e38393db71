import { randomBytes } from 'node:crypto';
import { Queue } from 'bullmq';
import { processCpuSeconds } from '@notify/testing';
import { createRedisConnection } from '@notify/redis';
import { redisArg, redisTargetOfArg } from '../redis-arg.js';
import { forkBenchChild } from '../bench-child.js';
import type { BenchContext } from '../bench-context.js';

export interface QueueCeilingResult {
  jobsPerS: number;
  added: number;
  completed: number;
  elapsedS: number;
  concurrency: number;
  cpuPercent: Record<string, number>;
}

type Reply = Record<string, unknown>;

/**
 * Queue ceiling: a producer process adding `message` jobs shaped like the api's, and a worker process
 * with a no-op processor and the pipeline's concurrency, on the pipeline's Redis (own queue; on a
 * Redis Cluster one queue, so one slot on one master): the most one queue alone can pass here.
 */
export async function runQueueCeiling(ctx: BenchContext): Promise<QueueCeilingResult> {
  const { options, bench } = ctx;
  const redisUrl = redisArg(bench.redisTarget);
  const tag = `benchq${randomBytes(3).toString('hex')}`;
  // A hash tag on a cluster, as the pipeline's own queue has.
  const prefix = bench.redisMode === 'cluster' ? `{${tag}}` : tag;
  const queueName = 'queue-ceiling';
  const concurrency = Number(options.appEnv.WORKER_CONCURRENCY ?? 50);
  const durationMs = options.durationS * 1000;
  ctx.log(`queue ceiling: no-op BullMQ worker (concurrency ${concurrency}) for ${options.durationS} s`);
  const worker = await forkBenchChild('./baselines/queue-ceiling-worker.js', { args: [redisUrl, prefix, queueName, String(concurrency)] });
  const producer = await forkBenchChild('./baselines/queue-ceiling-producer.js', {
    args: [redisUrl, prefix, queueName, String(durationMs), String(options.window), String(options.payloadBytes)],
  }).catch(async (error: unknown) => {
    await worker.stop();
    throw error;
  });
  const ask = (child: typeof worker, message: Reply) =>
    new Promise<Reply>((resolve) => {
      child.child.once('message', (reply: Reply) => resolve(reply));
      child.child.send(message);
    });
  try {
    // Every Redis process of the bench's Redis (one server, or each node of a cluster), summed.
    const redisCpuSeconds = async () => {
      const each = await Promise.all(Object.values(bench.redisProcesses).map((pid) => processCpuSeconds(pid)));
      return each.reduce<number>((sum, seconds) => sum + (seconds ?? 0), 0);
    };
    const cpuBefore = { producer: (await processCpuSeconds(producer.pid)) ?? 0, worker: (await processCpuSeconds(worker.pid)) ?? 0, redis: await redisCpuSeconds() };
    const startedAt = Date.now();
    const produced = await ask(producer, { cmd: 'run' });
    if (typeof produced.error === 'string') throw new Error(`queue ceiling producer: ${produced.error}`);
    const added = produced.added as number;
    let count = await ask(worker, { cmd: 'count' });
    for (const deadline = Date.now() + 10_000; (count.completed as number) < added && Date.now() < deadline; ) {
      await new Promise((resolve) => setTimeout(resolve, 100));
      count = await ask(worker, { cmd: 'count' });
    }
    const wallS = (Date.now() - startedAt) / 1000;
    const cpu = (name: keyof typeof cpuBefore, now: number | undefined) => Math.round((100 * ((now ?? 0) - cpuBefore[name])) / wallS);
    const completed = count.completed as number;
    const elapsedS = ((count.lastAt as number) - (produced.startedAt as number)) / 1000;
    return {
      jobsPerS: elapsedS > 0 ? Math.round(completed / elapsedS) : 0,
      added,
      completed,
      elapsedS: Math.round(elapsedS * 100) / 100,
      concurrency,
      cpuPercent: {
        producer: cpu('producer', await processCpuSeconds(producer.pid)),
        worker: cpu('worker', await processCpuSeconds(worker.pid)),
        redis: cpu('redis', await redisCpuSeconds()),
      },
    };
  } finally {
    await Promise.all([producer.stop(), worker.stop()]);
    await obliterate(redisUrl, prefix, queueName);
  }
}

async function obliterate(redisUrl: string, prefix: string, queueName: string): Promise<void> {
  const redis = createRedisConnection(redisTargetOfArg(redisUrl), { role: 'patient', connectionName: 'bench:queue-ceiling' });
  const queue = new Queue(queueName, { connection: redis, prefix });
  try {
    await queue.obliterate({ force: true });
  } finally {
    await queue.close();
    redis.disconnect();
  }
}
