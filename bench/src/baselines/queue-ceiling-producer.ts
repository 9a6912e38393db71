import { Queue } from 'bullmq';
import { createRedisConnection } from '@notify/redis';
import { redisTargetOfArg } from '../redis-arg.js';
import { JobName, NEW_MESSAGE_STATE, NOTIFICATION_JOB_OPTIONS, newRecordId, type Message } from '@notify/contracts';

// Baseline "queue ceiling", producer side: adds `message` jobs shaped like the api's (same data,
// options and one add per request) as fast as the queue takes them, but never more than `window`
// waiting, so the no-op worker is measured at its sustained pace, not against a growing backlog.
const [url, prefix, queueName, durationMs, window, payloadBytes] = process.argv.slice(2) as [string, string, string, string, string, string];

const CONCURRENT_ADDS = 32;

// One server's URL, or `cluster:host:port,…` (see redisArg).
const connection = createRedisConnection(redisTargetOfArg(url), { role: 'patient', connectionName: 'bench:queue-ceiling' });
const queue = new Queue(queueName, { connection, prefix, defaultJobOptions: NOTIFICATION_JOB_OPTIONS });
const content = 'x'.repeat(Number(payloadBytes));
let added = 0;

function job(): { name: string; data: { message: Message }; opts: { jobId: string } } {
  const id = newRecordId();
  const message: Message = {
    id,
    companyID: 'bench',
    receiverID: `u${added % 1000}`,
    typeID: 1,
    title: `bench message ${added}`,
    content,
    date: new Date().toISOString(),
    ...NEW_MESSAGE_STATE,
  };
  return { name: JobName.message, data: { message }, opts: { jobId: id } };
}

async function produce(): Promise<void> {
  const endAt = Date.now() + Number(durationMs);
  let waiting = 0;
  let checkedAt = 0;
  const adder = async () => {
    while (Date.now() < endAt) {
      if (Date.now() - checkedAt > 5) {
        checkedAt = Date.now();
        waiting = await queue.getWaitingCount();
      }
      if (waiting >= Number(window)) {
        await new Promise((resolve) => setTimeout(resolve, 2));
        continue;
      }
      waiting += 1;
      await queue.addBulk([job()]);
      added += 1;
    }
  };
  await Promise.all(Array.from({ length: CONCURRENT_ADDS }, adder));
}

process.on('message', (message: { cmd: string }) => {
  if (message.cmd !== 'run') return;
  const startedAt = Date.now();
  void produce().then(
    () => process.send?.({ added, startedAt, endedAt: Date.now() }),
    (error: Error) => process.send?.({ error: error.message }),
  );
});
process.on('disconnect', () => process.exit(0));
process.on('SIGTERM', () => void queue.close().finally(() => process.exit(0)));
await queue.waitUntilReady();
process.send?.({ ready: true });
