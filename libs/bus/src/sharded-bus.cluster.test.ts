import { randomUUID } from 'node:crypto';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { BUS_SHARDS, busShardChannel, busShardChannels, busShardOf, BusType, type BusEnvelope } from '@notify/contracts';
import { redisReady, type Cluster } from '@notify/redis';
import { connectTestRedis, dropConnections, masterOfKey, shardedSubscriberName } from '@notify/testing';
import { BusPublisher } from './bus-publisher.js';
import { createBusSubscriber } from './create-bus-subscriber.js';
import { ShardedBusSubscriber } from './sharded-bus-subscriber.js';

// The bus on a real Redis Cluster (the cluster project's): SPUBLISH on 16 sharded channels, a
// subscriber on every one of them, and a subscriber that says when every shard delivers again.
let prefix: string;
let opened: Cluster[];

beforeEach(() => {
  prefix = `test-${randomUUID()}`;
  opened = [];
});
afterEach(() => {
  for (const connection of opened) connection.disconnect();
});

const connect = (options: { subscriber?: boolean; name?: string } = {}) => {
  const connection = connectTestRedis(options) as Cluster;
  opened.push(connection);
  return connection;
};

/** A bus subscriber on a connection of its own, named `name`, keeping what it emits. */
async function subscribe(name = `sub-${randomUUID()}`) {
  const subscriber = createBusSubscriber(connect({ subscriber: true, name }), { prefix });
  const got = { envelopes: [] as BusEnvelope[], errors: [] as Error[], resumed: 0 };
  subscriber.on('envelope', (envelope) => got.envelopes.push(envelope));
  subscriber.on('error', (error) => got.errors.push(error));
  subscriber.on('resumed', () => (got.resumed += 1));
  await subscriber.start();
  return { subscriber, name, got };
}

const revoked = (uid: string, notBefore: number) => ({ uid, notBefore });
/** The `tokens.revoked` payloads a subscriber got, as `uid:notBefore`. */
const revocations = (envelopes: readonly BusEnvelope[]) =>
  envelopes.flatMap((envelope) => (envelope.type === BusType.tokensRevoked && 'uid' in envelope.payload ? [`${envelope.payload.uid}:${envelope.payload.notBefore}`] : []));

/** Publishes one marker per bus shard (a uid of that shard each) and waits until `got` has them all. */
async function flushEveryShard(bus: BusPublisher, got: { envelopes: BusEnvelope[] }) {
  const markers = new Map<number, string>();
  for (let n = 0; markers.size < BUS_SHARDS; n += 1) {
    const uid = `marker-${n}`;
    if (!markers.has(busShardOf(uid))) markers.set(busShardOf(uid), uid);
  }
  const notBefore = Date.now();
  await bus.publishAll(BusType.tokensRevoked, [...markers.values()].map((uid) => revoked(uid, notBefore)));
  await expect.poll(() => [...markers.values()].every((uid) => revocations(got.envelopes).includes(`${uid}:${notBefore}`))).toBe(true);
}

/** `cluster_stats_messages_<what>_sent` of CLUSTER INFO, added up over every master. */
async function clusterMessagesSent(redis: Cluster, what: 'publish' | 'publishshard'): Promise<number> {
  await redisReady(redis);
  let sum = 0;
  for (const node of redis.nodes('master')) {
    const info = String(await node.cluster('INFO'));
    sum += Number(new RegExp(`cluster_stats_messages_${what}_sent:(\\d+)`).exec(info)?.[1] ?? 0);
  }
  return sum;
}

describe('the bus on a Redis Cluster', () => {
  it('spreads its sharded channels over every master', async () => {
    const admin = connect();
    await redisReady(admin);
    const masters = new Set(await Promise.all(busShardChannels(prefix).map((channel) => masterOfKey(admin, channel))));
    expect(masters.size).toBe(admin.nodes('master').length);
  });

  it("publishes each user's events on that user's shard, in order, to a subscriber of every shard", async () => {
    const { subscriber, got } = await subscribe();
    expect(subscriber).toBeInstanceOf(ShardedBusSubscriber);
    // What went on which channel, straight from Redis.
    const raw = connect({ subscriber: true });
    const channelOf = new Map<string, string>();
    raw.on('smessage', (channel: string, text: string) => {
      const parsed = JSON.parse(text) as { payload: { uid: string } };
      channelOf.set(parsed.payload.uid, channel);
    });
    for (const channel of busShardChannels(prefix)) await raw.ssubscribe(channel);

    const bus = new BusPublisher(connect(), { prefix, origin: 'test' });
    const uids = Array.from({ length: 40 }, (_, n) => `user-${n}`);
    // Five events per user, interleaved, some in one round trip per shard and some one at a time.
    for (let step = 1; step <= 5; step += 1) {
      if (step % 2 === 0) await bus.publishAll(BusType.tokensRevoked, uids.map((uid) => revoked(uid, step)));
      else await Promise.all(uids.map((uid) => bus.publish(BusType.tokensRevoked, revoked(uid, step))));
    }

    await expect.poll(() => got.envelopes.length).toBe(uids.length * 5);
    for (const uid of uids) {
      expect(revocations(got.envelopes).filter((entry) => entry.startsWith(`${uid}:`)), uid).toEqual([1, 2, 3, 4, 5].map((step) => `${uid}:${step}`));
    }
    await expect.poll(() => channelOf.size).toBe(uids.length);
    for (const uid of uids) expect(channelOf.get(uid)).toBe(busShardChannel(prefix, busShardOf(uid)));
    expect(new Set(channelOf.values()).size).toBeGreaterThan(BUS_SHARDS / 2);
    expect(got.errors).toEqual([]);
  });

  it('never broadcasts over the cluster bus: SPUBLISH to the shard, not PUBLISH to every node', async () => {
    const { got } = await subscribe();
    const admin = connect();
    const bus = new BusPublisher(connect(), { prefix, origin: 'test' });
    const [publishBefore, shardBefore] = [await clusterMessagesSent(admin, 'publish'), await clusterMessagesSent(admin, 'publishshard')];

    await bus.publishAll(BusType.tokensRevoked, Array.from({ length: 50 }, (_, n) => revoked(`user-${n}`, 1)));
    await expect.poll(() => got.envelopes.length).toBe(50);

    // A PUBLISH is sent to every other node; an SPUBLISH only to the shard's replica.
    expect(await clusterMessagesSent(admin, 'publish')).toBe(publishBefore);
    expect(await clusterMessagesSent(admin, 'publishshard')).toBeGreaterThanOrEqual(shardBefore + 50);
  });

  it("resumes once after a shard's subscription drops, and that shard delivers again", async () => {
    const { name, got } = await subscribe();
    const bystander = await subscribe();
    const admin = connect();
    const bus = new BusPublisher(connect(), { prefix, origin: 'test' });
    const master = await masterOfKey(admin, busShardChannel(prefix, 0));

    expect(await dropConnections(admin, shardedSubscriberName(name), master)).toBe(1);
    await expect.poll(() => got.resumed, { timeout: 10_000 }).toBe(1);

    const uid = Array.from({ length: 100 }, (_, n) => `after-${n}`).find((candidate) => busShardOf(candidate) === 0) as string;
    await bus.publish(BusType.tokensRevoked, revoked(uid, 7));
    await expect.poll(() => revocations(got.envelopes)).toContain(`${uid}:7`);
    // Markers on every shard after the drop: had it resumed twice, the second would be in by now.
    await flushEveryShard(bus, got);
    expect(got.resumed).toBe(1);
    // The other subscriber saw the probes go by, and took none of them for an envelope or an error.
    await flushEveryShard(bus, bystander.got);
    expect(bystander.got.resumed).toBe(0);
    expect(bystander.got.errors).toEqual([]);
    expect(bystander.got.envelopes.every((envelope) => envelope.type === BusType.tokensRevoked)).toBe(true);
  });

  it('resumes once when every shard drops at once, however many times ioredis reconnects', async () => {
    const { name, got } = await subscribe();
    const admin = connect();
    const bus = new BusPublisher(connect(), { prefix, origin: 'test' });

    expect(await dropConnections(admin, shardedSubscriberName(name))).toBe(admin.nodes('master').length);
    // And again while it reconnects.
    await dropConnections(admin, shardedSubscriberName(name));
    await expect.poll(() => got.resumed, { timeout: 10_000 }).toBeGreaterThan(0);
    await flushEveryShard(bus, got);
    expect(got.resumed).toBe(1);
    expect(got.errors).toEqual([]);
  });

  it('stops: unsubscribes from every shard', async () => {
    const { subscriber, got } = await subscribe();
    const admin = connect();
    await subscriber.stop();
    const counts = await Promise.all(
      busShardChannels(prefix).map(async (channel) => {
        const [, subscribers] = (await admin.pubsub('SHARDNUMSUB', channel)) as [string, number];
        return subscribers;
      }),
    );
    expect(counts.every((count) => count === 0)).toBe(true);
    expect(got.errors).toEqual([]);
  });
});
