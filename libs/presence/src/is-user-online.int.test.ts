import { randomUUID } from 'node:crypto';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { isCluster, type RedisClient } from '@notify/redis';
import { connectTestRedis } from '@notify/testing';
import { isUserOnline, PresenceTracker } from './index.js';
import { presenceKeys } from './presence-keys.js';

const SHORT_TTL_MS = 600;

let prefix: string;
let connections: RedisClient[];
let trackers: PresenceTracker[];

beforeEach(() => {
  prefix = `test-${randomUUID()}`;
  connections = [];
  trackers = [];
});

afterEach(async () => {
  await Promise.all(trackers.map((tracker) => tracker.stop().catch(() => undefined)));
  for (const connection of connections) connection.disconnect();
});

// The run's Redis: one server (integration project) or a Redis Cluster (cluster project).
function connect(): RedisClient {
  const connection = connectTestRedis();
  connections.push(connection);
  return connection;
}

/** A tracker that is never started: no heartbeat and no sweeper, like the only gateway after a SIGKILL. */
function gateway(gatewayId = `gw-${randomUUID()}`): PresenceTracker {
  const created = new PresenceTracker(connect(), { prefix, gatewayId, ttlMs: SHORT_TTL_MS });
  trackers.push(created);
  return created;
}

describe('isUserOnline', () => {
  it('is true while a page is open, false after it closes and for users never seen', async () => {
    const reader = connect();
    const gw = gateway();
    await gw.join('7', 'alice');
    expect(await isUserOnline(reader, prefix, '7', 'alice')).toBe(true);
    expect(await isUserOnline(reader, prefix, '8', 'alice')).toBe(false);
    expect(await isUserOnline(reader, prefix, '7', 'bob')).toBe(false);
    await gw.leave('7', 'alice');
    expect(await isUserOnline(reader, prefix, '7', 'alice')).toBe(false);
  });

  it('turns false when the lease runs out, though no sweeper ever removes the session', async () => {
    const reader = connect();
    await gateway().join('7', 'alice');
    await gateway().join('7', 'bob');
    expect(await isUserOnline(reader, prefix, '7', 'alice')).toBe(true);

    await vi.waitFor(async () => expect(await isUserOnline(reader, prefix, '7', 'alice')).toBe(false), { timeout: 5_000 });
    expect(await isUserOnline(reader, prefix, '7', 'bob')).toBe(false);
    // Still there: only the expiry says they are gone, as in GET /v1/companies/:id/online.
    expect(await reader.hlen(presenceKeys(prefix, '7', isCluster(reader)).uids)).toBe(2);
    expect(await reader.zcard(presenceKeys(prefix, '7', isCluster(reader)).sessions)).toBe(2);
  });

  it("stays true while one of a user's sessions has expired and another has not", async () => {
    const reader = connect();
    await gateway('short-lease').join('7', 'alice');
    // A 30 s ttl: this session lives on (15 s lease) while the other one's 300 ms lease runs out.
    const long = new PresenceTracker(connect(), { prefix, gatewayId: 'long-lease' });
    trackers.push(long);
    await long.join('7', 'alice');
    await vi.waitFor(
      async () => {
        const [seconds = 0, micros = 0] = await reader.time();
        const now = Number(seconds) * 1000 + Math.floor(Number(micros) / 1000);
        expect(Number(await reader.zscore(presenceKeys(prefix, '7', isCluster(reader)).sessions, 'short-lease|alice'))).toBeLessThan(now);
      },
      { timeout: 5_000 },
    );
    expect(await reader.hget(presenceKeys(prefix, '7', isCluster(reader)).uids, 'alice')).toBe('2');
    expect(await isUserOnline(reader, prefix, '7', 'alice')).toBe(true);
    await long.leave('7', 'alice');
    expect(await isUserOnline(reader, prefix, '7', 'alice')).toBe(false);
  });
});
