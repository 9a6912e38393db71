import { createHash } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { recordIdTime } from '@notify/contracts';
import { isCluster, redisReady, type RedisClient } from '@notify/redis';
import { connectTestRedis, useInProcessStack } from '@notify/testing';

const sha256 = (text: string) => createHash('sha256').update(text).digest('hex');

// Issue 14, item 7: every key is kept 24 h and Redis runs noeviction, so a key's size must not grow
// with the send: it keeps one record id and derives the others.
describe('Idempotency-Key in Redis', () => {
  const stack = useInProcessStack({ gateways: 0, worker: false, env: { API_RATE_LIMIT: '0' } });
  let redis: RedisClient;
  beforeAll(() => {
    redis = connectTestRedis();
  });
  afterAll(() => redis?.quit());

  // KEYS answers for one server: on a Redis Cluster, ask every master.
  const keysOf = async () => {
    const pattern = `${stack().env.REDIS_PREFIX}:idempotency:*`;
    if (!isCluster(redis)) return redis.keys(pattern);
    await redisReady(redis);
    return (await Promise.all(redis.nodes('master').map((node) => node.keys(pattern)))).flat();
  };
  const receivers = (n: number) => Array.from({ length: n }, (_, i) => `r${i}`);
  const send = (key: string, n: number, title = 'keyed') =>
    stack().client.sendMessage({ companyID: 7, receiverIDs: receivers(n), typeID: 1, title, content: '' }, { 'idempotency-key': key });

  it('gives a retry of a 1,000-receiver send the same 1,000 ids, sorted, distinct and of one time', async () => {
    const first = await send('big-1', 1000);
    const retry = await send('big-1', 1000);
    expect(first.status).toBe(202);
    expect(retry.body).toEqual(first.body);
    const ids = first.body.ids as string[];
    expect(new Set(ids).size).toBe(1000);
    expect([...ids].sort()).toEqual(ids);
    expect(new Set(ids.map((id) => recordIdTime(id))).size).toBe(1);
    expect((await send('big-1', 1000, 'another body')).status).toBe(409);
  });

  it('takes the same memory for 1 receiver and for 1,000', async () => {
    await send('small-1', 1);
    const usage = async (key: string) => {
      const [redisKey] = (await keysOf()).filter((name) => name.endsWith(sha256(key)));
      return Number(await redis.call('MEMORY', 'USAGE', redisKey as string, 'SAMPLES', '0'));
    };
    const [small, big] = [await usage('small-1'), await usage('big-1')];
    console.info(`MEMORY USAGE of an idempotency key: ${small} bytes (1 receiver), ${big} bytes (1,000 receivers)`);
    expect(big).toBe(small);
    expect(big).toBeLessThan(400);
  });

  it('still answers a retry of a key written in the earlier format (every id kept)', async () => {
    const body = { companyID: 7, receiverIDs: ['a', 'b'], typeID: 1, title: 'earlier', content: '' };
    expect((await stack().client.sendMessage(body, { 'idempotency-key': 'earlier-1' })).status).toBe(202);
    // The same key as the api kept it before this change: the same body digest, and every id.
    const [redisKey] = (await keysOf()).filter((name) => name.endsWith(sha256('earlier-1')));
    const { fingerprint } = JSON.parse((await redis.get(redisKey as string)) as string) as { fingerprint: string };
    const ids = ['01KB0000000000000000000001', '01KB0000000000000000000002'];
    await redis.set(redisKey as string, JSON.stringify({ fingerprint, answer: { ids, acceptedAt: '2026-11-26T10:00:00.000Z' } }), 'EX', 60);
    const retry = await stack().client.sendMessage(body, { 'idempotency-key': 'earlier-1' });
    expect([retry.status, retry.body]).toEqual([202, { ids, status: 'queued' }]);
  });
});
