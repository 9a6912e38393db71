import { randomUUID } from 'node:crypto';
import { Queue } from 'bullmq';
import { Redis } from 'ioredis';
import { afterEach, describe, expect, inject, it } from 'vitest';
import { NEW_MESSAGE_STATE, newRecordId, type Message } from '@notify/contracts';
import { JobBatcher } from './job-batcher.js';
import { batchJobId } from './record-jobs.js';

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
  const message = (): Message => ({
    id: newRecordId(), companyID: '7', receiverID: '1', typeID: 1, title: 't', content: '', date: '2026-12-01T00:00:00.000Z', ...NEW_MESSAGE_STATE,
  });

  it('puts the records of every caller of one turn into one batch job, and a lone record into a job of its own', async () => {
    const queue = newQueue();
    const batcher = new JobBatcher(queue);
    const [a, b, c, d, e] = Array.from({ length: 5 }, message) as [Message, Message, Message, Message, Message];
    await Promise.all([batcher.add({ messages: [a] }), batcher.add({ messages: [b, c] }), batcher.add({ messages: [d], requestId: 'r4' })]);
    await batcher.add({ messages: [e] });
    const waiting = await queue.getJobs(['waiting']);
    expect(waiting.map((job) => [job.name, job.id]).sort()).toEqual(
      [
        ['batch', batchJobId([a.id, b.id, c.id, d.id])],
        ['message', e.id],
      ].sort(),
    );
    expect(waiting.find((job) => job.name === 'batch')?.data).toEqual({ messages: [a, b, c, d], dynamics: [], requestIds: ['r4'] });
  });

  it('splits a turn at the bound, in one round trip', async () => {
    const queue = newQueue();
    const batcher = new JobBatcher(queue, { maxRecords: 2 });
    const messages = Array.from({ length: 5 }, message);
    await Promise.all(messages.map((m) => batcher.add({ messages: [m] })));
    const waiting = await queue.getJobs(['waiting']);
    expect(waiting.map((job) => job.name).sort()).toEqual(['batch', 'batch', 'message']);
    expect(waiting.flatMap((job) => (job.name === 'batch' ? (job.data as { messages: Message[] }).messages : [(job.data as { message: Message }).message])).map((m) => m.id).sort()).toEqual(
      messages.map((m) => m.id).sort(),
    );
  });

  it('never adds a lone record’s job twice', async () => {
    const queue = newQueue();
    const batcher = new JobBatcher(queue);
    const x = message();
    await batcher.add({ messages: [x] });
    await batcher.add({ messages: [x] });
    expect(await queue.count()).toBe(1);
  });

  it('rejects every caller of a batch when Redis refuses it', async () => {
    const connection = new Redis(inject('redisUrl'), { enableOfflineQueue: false, maxRetriesPerRequest: null, lazyConnect: true });
    const queue = new Queue(`batch-${randomUUID()}`, { connection, prefix: 'test' });
    opened.push(queue);
    queue.on('error', () => undefined); // the refused connection is the point of this test
    connection.disconnect();
    const batcher = new JobBatcher(queue);
    const results = await Promise.allSettled([batcher.add({ messages: [message()] }), batcher.add({ messages: [message()] })]);
    expect(results.map((result) => result.status)).toEqual(['rejected', 'rejected']);
  });
});
