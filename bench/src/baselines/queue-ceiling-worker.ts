import { Worker } from 'bullmq';
import { createRedisConnection } from '@notify/redis';
import { redisTargetOfArg } from '../redis-arg.js';

// Baseline "queue ceiling", consumer side: a BullMQ worker with a no-op processor and the
// pipeline's worker settings (concurrency), on the same Redis. Counts completed jobs; the
// orchestrator asks for the count over IPC ({cmd: 'count'}).
const [url, prefix, queueName, concurrency] = process.argv.slice(2) as [string, string, string, string];
// One server's URL, or `cluster:host:port,…` (see redisArg).
const connection = createRedisConnection(redisTargetOfArg(url), { role: 'patient', connectionName: 'bench:queue-ceiling' });
let completed = 0;
let lastAt = 0;
const worker = new Worker(queueName, async () => undefined, { connection, prefix, concurrency: Number(concurrency) });
worker.on('completed', () => {
  completed += 1;
  lastAt = Date.now();
});
worker.on('error', (error) => process.stderr.write(`queue-ceiling worker: ${error.message}\n`));

process.on('message', (message: { cmd: string }) => {
  if (message.cmd === 'count') process.send?.({ completed, lastAt });
});
process.on('disconnect', () => process.exit(0));
process.on('SIGTERM', () => void worker.close().finally(() => process.exit(0)));
await worker.waitUntilReady();
process.send?.({ ready: true });
