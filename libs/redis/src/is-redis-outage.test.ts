import { ReplyError } from 'ioredis';
import { describe, expect, it } from 'vitest';
import { isRedisOutage } from './is-redis-outage.js';

/** A reply error as ioredis builds it from a Redis error line. */
const reply = (line: string) => new ReplyError(line);

describe('isRedisOutage', () => {
  it('takes an unreachable server as an outage, as before', () => {
    for (const message of ["Stream isn't writeable and enableOfflineQueue options is false", 'Connection is closed.', 'Command timed out', 'connect ECONNREFUSED 127.0.0.1:6379']) {
      expect(isRedisOutage(new Error(message)), message).toBe(true);
    }
  });

  it('takes the states of a Redis Cluster failing over or moving slots as an outage', () => {
    for (const line of [
      'CLUSTERDOWN The cluster is down',
      'CLUSTERDOWN Hash slot not served',
      'TRYAGAIN Multiple keys request during rehashing of slot',
      'MOVED 1584 127.0.0.1:30001',
      'ASK 1584 127.0.0.1:30001',
      "READONLY You can't write against a read only replica.",
      'LOADING Redis is loading the dataset in memory',
      'NOREPLICAS Not enough good replicas to write.',
    ]) {
      expect(isRedisOutage(reply(line)), line).toBe(true);
    }
    for (const message of [
      'Too many Cluster redirections. Last error: ReplyError: MOVED 1584 127.0.0.1:30001',
      "Cluster isn't ready and enableOfflineQueue options is false",
      'None of startup nodes is available',
      'Cluster is ended.',
    ]) {
      expect(isRedisOutage(new Error(message)), message).toBe(true);
    }
    const allFailed = new Error('Failed to refresh slots cache.');
    allFailed.name = 'ClusterAllFailedError';
    expect(isRedisOutage(allFailed)).toBe(true);
  });

  it('leaves bugs and everything else to be answered as what they are', () => {
    for (const line of ["CROSSSLOT Keys in request don't hash to the same slot", 'WRONGTYPE Operation against a key holding the wrong kind of value', 'ERR syntax error', 'NOSCRIPT No matching script']) {
      expect(isRedisOutage(reply(line)), line).toBe(false);
    }
    expect(isRedisOutage(new Error('the job was REMOVED 3 times'))).toBe(false);
    expect(isRedisOutage('CLUSTERDOWN')).toBe(false);
    expect(isRedisOutage(undefined)).toBe(false);
  });
});
