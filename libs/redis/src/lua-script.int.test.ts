import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { connectTestRedis } from '@notify/testing';
import type { RedisClient } from './create-redis-connection.js';
import { LuaScript } from './lua-script.js';

// The run's Redis: one server (one pipeline per runEach), or a Redis Cluster (one call per entry).
describe('LuaScript (real Redis)', () => {
  let redis: RedisClient;
  beforeAll(() => {
    redis = connectTestRedis();
  });
  afterAll(() => redis.disconnect());

  // A source of its own each time (a comment that differs), so Redis has never seen it: the first
  // calls find no script and must fall back to EVAL.
  const incrementBy = () => new LuaScript(`-- ${randomUUID()}\nreturn redis.call('INCRBY', KEYS[1], ARGV[1])`);

  it('runs one call per entry (in one pipeline on one server), in order, falling back to EVAL for a script Redis does not have', async () => {
    const script = incrementBy();
    const [a, b] = [`test:${randomUUID()}`, `test:${randomUUID()}`];
    expect(await script.runEach(redis, [{ keys: [a], args: [2] }, { keys: [b], args: [5] }, { keys: [a], args: [3] }])).toEqual([2, 5, 5]);
    // Loaded by now (EVAL caches it): the same again by EVALSHA, each call applied exactly once.
    expect(await script.runEach(redis, [{ keys: [a], args: [1] }, { keys: [b], args: [1] }])).toEqual([6, 6]);
    expect(await script.runEach(redis, [])).toEqual([]);
  });

  it('rejects with the error of a call that fails', async () => {
    const script = incrementBy();
    const key = `test:${randomUUID()}`;
    await redis.set(key, 'not a number');
    await expect(script.runEach(redis, [{ keys: [key], args: [1] }])).rejects.toThrow(/not an integer/);
  });
});
