import { randomUUID } from 'node:crypto';
import { Queue } from 'bullmq';
import { Redis } from 'ioredis';
import { afterEach, describe, expect, inject, it } from 'vitest';
import { JobBatcher } from './job-batcher.js';

describe('JobBatcher (real Redis and BullMQ)', () => {
  const opened: Array<{ close(): Promise<unknown> }> = [];
  afterEach(async () => {
    await Promise.all(opened.splice(0).map((closable) => closable.close()));
  });

  const newQueue = () => {
    const queue = new Queue(`batch-${randomUUID()}`, { connection: { url: inject('redisUrl') }, prefix: 'test' });
    opened.push(queue);
    return queue;
  };
  const job = (id: string) => ({ name: 'message', data: { id }, opts: { jobId: id } });

  it('puts the jobs of every caller of one turn into the queue, lone jobs and bulks alike', async () => {
    const queue = newQueue();
    const batcher = new JobBatcher(queue);
    await Promise.all([batcher.add([job('a')]), batcher.add([job('b'), job('c')]), batcher.add([job('d')])]);
    await batcher.add([job('e')]);
    const waiting = await queue.getJobs(['waiting']);
    expect(waiting.map((j) => j.id).sort()).toEqual(['a', 'b', 'c', 'd', 'e']);
  });

  it('never adds a job id twice', async () => {
    const queue = newQueue();
    const batcher = new JobBatcher(queue);
    await Promise.all([batcher.add([job('x')]), batcher.add([job('x')])]);
    await batcher.add([job('x')]);
    expect(await queue.count()).toBe(1);
  });

  it('rejects every caller of a batch when Redis refuses it', async () => {
    const connection = new Redis(inject('redisUrl'), { enableOfflineQueue: false, maxRetriesPerRequest: null, lazyConnect: true });
    const queue = new Queue(`batch-${randomUUID()}`, { connection, prefix: 'test' });
    opened.push(queue);
    queue.on('error', () => undefined); // the refused connection is the point of this test
    connection.disconnect();
    const batcher = new JobBatcher(queue);
    const results = await Promise.allSettled([batcher.add([job('p')]), batcher.add([job('q')])]);
    expect(results.map((result) => result.status)).toEqual(['rejected', 'rejected']);
  });
});
