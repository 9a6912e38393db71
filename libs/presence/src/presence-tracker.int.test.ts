import { randomUUID } from 'node:crypto';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { BusType, type BusEvent } from '@notify/contracts';
import { createBusSubscriber } from '@notify/bus';
import { isCluster, type RedisClient } from '@notify/redis';
import { connectTestRedis } from '@notify/testing';
import { PresenceStoppedError, PresenceTracker, readOnline, type PresenceOptions } from './index.js';
import { presenceCompaniesKey, presenceKeys } from './presence-keys.js';

type PresenceChanged = BusEvent<typeof BusType.presenceChanged>;

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
  // A "crashed" tracker's connection is already closed, so its stop() fails; that is expected.
  await Promise.all(trackers.map((tracker) => tracker.stop().catch(() => undefined)));
  for (const connection of connections) connection.disconnect();
});

// The run's Redis: one server (integration project) or a Redis Cluster (cluster project).
function connect(options: { subscriber?: boolean } = {}): RedisClient {
  const connection = connectTestRedis(options);
  connections.push(connection);
  return connection;
}

function tracker(options: Partial<PresenceOptions> = {}, redis = connect()): PresenceTracker {
  const created = new PresenceTracker(redis, { prefix, gatewayId: `gw-${randomUUID()}`, ...options });
  trackers.push(created);
  return created;
}

/** Subscribes to the bus (its sharded channels on a cluster) and keeps every presence.changed, parsed with the contracts' schema. */
async function recordBus() {
  const subscriber = createBusSubscriber(connect({ subscriber: true }), { prefix });
  const events: PresenceChanged[] = [];
  const waiting = new Set<() => void>();
  subscriber.on('envelope', (envelope) => {
    if (envelope.type === BusType.presenceChanged) events.push(envelope);
    for (const check of waiting) check();
  });
  subscriber.on('error', (error) => {
    throw error;
  });
  await subscriber.start();
  return {
    events,
    /** The published counts of one company, in order. */
    counts: (companyID: string) => events.filter((e) => e.payload.companyID === companyID).map((e) => e.payload.count),
    /** Resolves with the first matching event (already received or still to come) from index `since` on. */
    waitFor(match: (event: PresenceChanged) => boolean, since = 0, timeoutMs = 5_000): Promise<PresenceChanged> {
      return new Promise((resolve, reject) => {
        const check = () => {
          const found = events.slice(since).find(match);
          if (!found) return;
          waiting.delete(check);
          clearTimeout(timer);
          resolve(found);
        };
        const timer = setTimeout(() => {
          waiting.delete(check);
          reject(new Error(`no matching presence.changed within ${timeoutMs} ms`));
        }, timeoutMs);
        waiting.add(check);
        check();
      });
    },
  };
}

const is = (companyID: string, count: number) => (event: PresenceChanged) =>
  event.payload.companyID === companyID && event.payload.count === count;

describe('PresenceTracker', () => {
  it('counts a user with three tabs once, and only the last tab closing takes them offline', async () => {
    const bus = await recordBus();
    const gateway = tracker({ gatewayId: 'gw-1' });

    expect(await gateway.join('7', 'alice')).toBe(1);
    expect(await gateway.join('7', 'alice')).toBe(1);
    expect(await gateway.join('7', 'alice')).toBe(1);
    expect(await gateway.leave('7', 'alice')).toBe(1);
    expect(await gateway.leave('7', 'alice')).toBe(1);
    expect(await gateway.leave('7', 'alice')).toBe(0);

    // Events leave Redis in order, so had closing two tabs published anything it would show before the 0.
    await bus.waitFor(is('7', 0));
    expect(bus.counts('7')).toEqual([1, 0]);
    expect(bus.events.map((event) => event.origin)).toEqual(['gw-1', 'gw-1']);
    // Stamped with Redis time (epoch ms) like every other publisher's sentAt, for the gateways' lag metric.
    for (const event of bus.events) expect(Math.abs((event.sentAt ?? 0) - Date.now())).toBeLessThan(60_000);
  });

  it('counts two users as two, and readOnline lists them', async () => {
    const bus = await recordBus();
    const gateway = tracker();

    expect(await gateway.join('7', 'bob')).toBe(1);
    expect(await gateway.join('7', 'alice')).toBe(2);

    await bus.waitFor(is('7', 2));
    expect(bus.counts('7')).toEqual([1, 2]);
    expect(await readOnline(connect(), prefix, '7')).toEqual({ count: 2, uids: ['alice', 'bob'] });
  });

  it('counts a user on two gateways once; leaving one gateway keeps them online', async () => {
    const bus = await recordBus();
    const [a, b] = [tracker(), tracker()];

    expect(await a.join('7', 'alice')).toBe(1);
    expect(await b.join('7', 'alice')).toBe(1);
    expect(await a.leave('7', 'alice')).toBe(1);
    expect(await readOnline(connect(), prefix, '7')).toEqual({ count: 1, uids: ['alice'] });
    expect(await b.leave('7', 'alice')).toBe(0);

    await bus.waitFor(is('7', 0));
    expect(bus.counts('7')).toEqual([1, 0]);
  });

  it("drops a crashed gateway's users within ttlMs, published by a surviving gateway's sweeper", async () => {
    const bus = await recordBus();
    const survivor = tracker({ ttlMs: SHORT_TTL_MS, gatewayId: 'survivor' });
    const crashedRedis = connect();
    const crashed = tracker({ ttlMs: SHORT_TTL_MS }, crashedRedis);
    const survivorErrors: Error[] = [];
    survivor.on('error', (error) => survivorErrors.push(error));
    crashed.on('error', () => {}); // its Redis connection is gone: every heartbeat fails
    survivor.start();
    crashed.start();

    expect(await survivor.join('7', 'alice')).toBe(1);
    expect(await crashed.join('7', 'bob')).toBe(2);
    // Company 8 has no user on the survivor, so only its sweeper (not its heartbeat) can prune it.
    expect(await crashed.join('8', 'carol')).toBe(1);
    await bus.waitFor(is('7', 2));
    await bus.waitFor(is('8', 1));
    const since = bus.events.length;

    // SIGKILL, as Redis sees it: the connection goes, nothing says goodbye, no more heartbeats.
    crashedRedis.disconnect();
    // Its timers stop with it. Not awaited: its goodbyes go nowhere (a disconnected Redis Cluster
    // connection may even hold them forever), and a killed process waits for nothing.
    trackers.splice(trackers.indexOf(crashed), 1);
    void crashed.stop().catch(() => undefined);
    const crashedAt = Date.now();
    const drops = await Promise.all([bus.waitFor(is('7', 1), since), bus.waitFor(is('8', 0), since)]);

    expect(Date.now() - crashedAt).toBeLessThan(SHORT_TTL_MS);
    expect(drops.map((drop) => drop.origin)).toEqual(['survivor', 'survivor']);
    expect(survivorErrors).toEqual([]);
    expect(bus.counts('7')).toEqual([1, 2, 1]);
    expect(bus.counts('8')).toEqual([1, 0]);
    expect(await readOnline(connect(), prefix, '7')).toEqual({ count: 1, uids: ['alice'] });
  });

  it('never goes negative: a leave without a join is a no-op', async () => {
    const bus = await recordBus();
    const gateway = tracker();

    expect(await gateway.leave('7', 'ghost')).toBe(0);
    expect(await gateway.join('7', 'alice')).toBe(1);
    expect(await gateway.leave('7', 'alice')).toBe(0);
    expect(await gateway.leave('7', 'alice')).toBe(0);

    await bus.waitFor(is('7', 0));
    expect(bus.counts('7')).toEqual([1, 0]);
    expect(await readOnline(connect(), prefix, '7')).toEqual({ count: 0, uids: [] });
  });

  it("keeps companies apart: 7's changes are never published as 8's", async () => {
    const bus = await recordBus();
    const gateway = tracker();

    await gateway.join('7', 'alice');
    await gateway.join('8', 'bob');
    await gateway.join('8', 'carol');
    await gateway.leave('7', 'alice');

    await bus.waitFor(is('7', 0));
    await bus.waitFor(is('8', 2));
    expect(bus.counts('7')).toEqual([1, 0]);
    expect(bus.counts('8')).toEqual([1, 2]);
    expect(await readOnline(connect(), prefix, '8')).toEqual({ count: 2, uids: ['bob', 'carol'] });
    expect(await readOnline(connect(), prefix, '9')).toEqual({ count: 0, uids: [] });
  });

  it('ends in the state of the last page event when joins and leaves of one user race', async () => {
    const gateway = tracker();
    const reader = connect();

    await gateway.join('7', 'alice');
    // A tab closes while another opens, neither awaited: alice still has a page open.
    await Promise.all([gateway.leave('7', 'alice'), gateway.join('7', 'alice')]);
    expect(await readOnline(reader, prefix, '7')).toEqual({ count: 1, uids: ['alice'] });

    const open = new Map<string, number>();
    const calls: Promise<number>[] = [];
    for (let i = 0; i < 200; i++) {
      const uid = `u${i % 5}`;
      const pages = open.get(uid) ?? 0;
      if (pages > 0 && i % 3 !== 0) {
        open.set(uid, pages - 1);
        calls.push(gateway.leave('8', uid));
      } else {
        open.set(uid, pages + 1);
        calls.push(gateway.join('8', uid));
      }
    }
    await Promise.all(calls);
    const expected = [...open].filter(([, pages]) => pages > 0).map(([uid]) => uid).sort();
    expect(await readOnline(reader, prefix, '8')).toEqual({ count: expected.length, uids: expected });
  });

  it('stop() removes its sessions, publishes the drop and refuses later joins', async () => {
    const bus = await recordBus();
    const gateway = tracker();
    gateway.start();

    await gateway.join('7', 'alice');
    await gateway.join('7', 'bob');
    await gateway.stop();

    await bus.waitFor(is('7', 0));
    expect(await readOnline(connect(), prefix, '7')).toEqual({ count: 0, uids: [] });
    await expect(gateway.join('7', 'alice')).rejects.toBeInstanceOf(PresenceStoppedError);
  });

  it('readOnline leaves out sessions whose lease ran out before any sweep removed them', async () => {
    const reader = connect();
    const gateway = tracker({ ttlMs: SHORT_TTL_MS }); // never started: no heartbeat, no sweeper

    await gateway.join('7', 'alice');
    await vi.waitFor(async () => expect((await readOnline(reader, prefix, '7')).count).toBe(0), { timeout: 5_000 });
    expect(await reader.zcard(presenceKeys(prefix, '7', isCluster(reader)).sessions)).toBe(1);
  });

  it('puts back a session Redis lost while its page is still open', async () => {
    const bus = await recordBus();
    const reader = connect();
    const gateway = tracker({ ttlMs: SHORT_TTL_MS });
    gateway.start();

    await gateway.join('7', 'alice');
    await bus.waitFor(is('7', 1));
    const since = bus.events.length;
    const keys = presenceKeys(prefix, '7', isCluster(reader));
    await reader.del(keys.sessions, keys.uids); // e.g. Redis restarted without its data

    await bus.waitFor(is('7', 1), since);
    expect(bus.counts('7')).toEqual([1, 1]);
    expect(await readOnline(reader, prefix, '7')).toEqual({ count: 1, uids: ['alice'] });
  });

  it('sweeps companies without sessions out of the companies set', async () => {
    const reader = connect();
    const gateway = tracker({ ttlMs: SHORT_TTL_MS });
    gateway.start();

    await gateway.join('7', 'alice');
    await gateway.join('8', 'bob');
    expect((await reader.smembers(presenceCompaniesKey(prefix))).sort()).toEqual(['7', '8']);
    await gateway.leave('7', 'alice');

    await vi.waitFor(async () => expect(await reader.smembers(presenceCompaniesKey(prefix))).toEqual(['8']), {
      timeout: 5_000,
    });
  });
});
