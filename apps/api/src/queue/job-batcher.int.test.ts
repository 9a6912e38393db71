import { randomUUID } from 'node:crypto';
import { Queue } from 'bullmq';
import { Cluster, Redis } from 'ioredis';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { NEW_MESSAGE_STATE, newRecordId, queuePartition, type Message } from '@notify/contracts';
import { isCluster, type RedisClient } from '@notify/redis';
import { connectTestRedis, parseClusterNodes, testRedisEnv } from '@notify/testing';
import { JobBatcher } from './job-batcher.js';
import { batchJobId } from './record-jobs.js';

// On the run's Redis: one server, or a Redis Cluster, where a queue's keys share its prefix's hash tag
// (as the api lays out its queue partitions).
describe('JobBatcher (real Redis and BullMQ)', () => {
  const opened: Array<{ close(): Promise<unknown> }> = [];
  const connections: RedisClient[] = [];
  afterEach(async () => {
    await Promise.all(opened.splice(0).map((closable) => closable.close()));
    for (const connection of connections.splice(0)) connection.disconnect();
  });

  /** A queue of its own on `connection`: the api's partition 0 under a prefix of its own. */
  const queueOn = (connection: RedisClient) => {
    const { name, prefix } = queuePartition(`test-${randomUUID()}`, 0, isCluster(connection));
    const queue = new Queue(name, { connection, prefix });
    opened.push(queue);
    return queue;
  };
  const newQueue = () => {
    const connection = connectTestRedis();
    connections.push(connection);
    return queueOn(connection);
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
    // Counts the calls, and passes each on to the real queue.
    const addBulk = vi.spyOn(queue, 'addBulk');
    const add = vi.spyOn(queue, 'add');
    const messages = Array.from({ length: 5 }, message);
    await Promise.all(messages.map((m) => batcher.add({ messages: [m] })));
    expect([addBulk.mock.calls.length, add.mock.calls.length]).toEqual([1, 0]);
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
    const redis = testRedisEnv();
    const connection =
      'REDIS_CLUSTER_NODES' in redis
        ? new Cluster(parseClusterNodes(redis.REDIS_CLUSTER_NODES), { enableOfflineQueue: false, lazyConnect: true })
        : new Redis(redis.REDIS_URL, { enableOfflineQueue: false, maxRetriesPerRequest: null, lazyConnect: true });
    const queue = queueOn(connection);
    queue.on('error', () => undefined); // the refused connection is the point of this test
    connection.disconnect();
    const batcher = new JobBatcher(queue);
    const results = await Promise.allSettled([batcher.add({ messages: [message()] }), batcher.add({ messages: [message()] })]);
    expect(results.map((result) => result.status)).toEqual(['rejected', 'rejected']);
  });
});
