import { randomUUID } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { BusPublisher, createBusSubscriber, type BusSubscription } from '@notify/bus';
import { NEW_MESSAGE_STATE, newRecordId, type BusEnvelope, type Dynamic, type Message } from '@notify/contracts';
import { CountVersions, Inbox } from '@notify/inbox';
import type { RedisClient } from '@notify/redis';
import { SqliteStore } from '@notify/store';
import { connectTestRedis, onBusShardOf } from '@notify/testing';
import { RecordBatcher } from './record-batcher.js';

// On the run's Redis: one server, or a Redis Cluster (the sharded bus, a count version key per slot).
describe('RecordBatcher (real SQLite and Redis)', () => {
  let dir: string;
  let store: SqliteStore;
  let publisher: RedisClient;
  let subscriberConnection: RedisClient;
  let subscriber: BusSubscription;
  let batcher: RecordBatcher;
  let storedIds: string[];
  let received: BusEnvelope[];
  /** Publishes on the same connection and channel as the batcher: a marker after it is seen after anything the batcher published. */
  let markers: BusPublisher;

  beforeEach(async () => {
    dir = await mkdtemp(join(tmpdir(), 'notify-batcher-'));
    store = await SqliteStore.open({ path: join(dir, 'n.db'), messagesCapRows: 1000 });
    const prefix = `test-${randomUUID()}`;
    publisher = connectTestRedis();
    subscriberConnection = connectTestRedis({ subscriber: true });
    subscriber = createBusSubscriber(subscriberConnection, { prefix });
    // Each test's own array: a late envelope from the previous test's subscriber cannot leak in.
    const mine: BusEnvelope[] = [];
    received = mine;
    subscriber.on('envelope', (envelope) => mine.push(envelope));
    subscriber.on('error', () => undefined);
    await subscriber.start();
    storedIds = [];
    const bus = new BusPublisher(publisher, { prefix, origin: 'test' });
    const inbox = new Inbox({ store, bus, versions: new CountVersions(publisher, { prefix }) });
    batcher = new RecordBatcher({ store, bus, inbox, onStored: (_job, id) => storedIds.push(id) });
    markers = new BusPublisher(publisher, { prefix, origin: 'marker' });
  });
  afterEach(async () => {
    publisher.disconnect();
    subscriberConnection.disconnect();
    await store.close();
    await rm(dir, { recursive: true, force: true });
  });

  const message = (receiverID: string): Message => ({
    id: newRecordId(), companyID: '7', receiverID, typeID: 1, title: 't', content: 'c', date: new Date().toISOString(), ...NEW_MESSAGE_STATE,
  });
  const storedMessages = () => received.flatMap((envelope) => (envelope.type === 'message.stored' ? [envelope.payload] : []));

  it('stores every concurrent message and publishes each with its receiver’s count after the batch', async () => {
    const sent = [message('1'), message('1'), message(onBusShardOf('1', '2')), message('1')];
    await Promise.all(sent.map((m) => batcher.submitMessage(m)));

    expect((await store.listMessages({ receiverID: '1', limit: 10 })).map((m) => m.id).sort()).toEqual([sent[0], sent[1], sent[3]].map((m) => m?.id).sort());
    await expect.poll(() => received.length).toBe(4);
    const published = storedMessages();
    expect(published.map((p) => p.message.id)).toEqual(sent.map((m) => m.id));
    for (const { message: m, unread } of published) expect(unread).toMatchObject({ total: m.receiverID === '1' ? 3 : 1, unseen: m.receiverID === '1' ? 3 : 1 });
    // One version per receiver for the batch, newer than any before.
    expect(published[0]?.unread.version).toBe(published[1]?.unread.version);
    expect(published[0]?.unread.version).toBeGreaterThan(0);
  });

  it('publishes what is stored: a retried message read meanwhile goes out read, a deleted one not at all', async () => {
    const [read, deleted] = [message('8'), message('8')];
    await Promise.all([batcher.submitMessage(read), batcher.submitMessage(deleted)]);
    await store.changeMessages('8', 'read', { ids: [read.id] }, '2026-03-05T10:00:00.000Z');
    await store.changeMessages('8', 'delete', { ids: [deleted.id] }, '2026-03-05T10:00:00.000Z');
    await expect.poll(() => storedMessages().length).toBe(2);
    const firstVersion = storedMessages()[0]?.unread.version ?? 0;

    await Promise.all([batcher.submitMessage(read), batcher.submitMessage(deleted)]);
    const marker = onBusShardOf('8', `marker-${randomUUID()}`);
    await markers.publish('presence.changed', { companyID: marker, count: 0 });
    await expect.poll(() => received.some((e) => e.type === 'presence.changed' && e.payload.companyID === marker)).toBe(true);

    const retried = storedMessages().slice(2);
    expect(retried.map((p) => p.message)).toStrictEqual([{ ...read, isRead: true, readAt: '2026-03-05T10:00:00.000Z', isSeen: true, seenAt: '2026-03-05T10:00:00.000Z' }]);
    expect(retried[0]?.unread).toMatchObject({ total: 0, unseen: 0 });
    expect(retried[0]?.unread.version).toBeGreaterThan(firstVersion);
  });

  it('stores and publishes concurrent dynamics once each, alongside a message of the same turn', async () => {
    const dynamic = (companyID: string): Dynamic => ({
      id: newRecordId(), companyID, operatorID: 'op', operator: 'Op', title: 't', content: 'c', date: new Date().toISOString(),
    });
    const dynamics = [dynamic('8'), dynamic('8'), dynamic(onBusShardOf('8', '9'))];
    const alongside = message('7');
    await Promise.all([...dynamics.map((d) => batcher.submitDynamic(d)), batcher.submitMessage(alongside)]);

    expect((await store.listCompanyDynamics({ companyID: '8', limit: 10 })).map((d) => d.id).sort()).toEqual([dynamics[0], dynamics[1]].map((d) => d?.id).sort());
    expect(new Set(storedIds)).toEqual(new Set([...dynamics, alongside].map((record) => record.id)));
    await expect.poll(() => received.length).toBe(4);
    const published = received.flatMap((envelope) => (envelope.type === 'dynamic.stored' ? [envelope.payload.dynamic.id] : []));
    expect(published).toEqual(dynamics.map((d) => d.id));
  });

  it('stores a message submitted twice once', async () => {
    const once = message('3');
    await Promise.all([batcher.submitMessage(once), batcher.submitMessage(once)]);
    await batcher.submitMessage(once);
    expect(await store.counts('3')).toMatchObject({ total: 1 });
  });

  it('fails every job of a batch the store refuses, and publishes none of it', async () => {
    await store.close();
    const results = await Promise.allSettled([batcher.submitMessage(message('4')), batcher.submitMessage(message(onBusShardOf('4', '5')))]);
    expect(results.map((r) => r.status)).toEqual(['rejected', 'rejected']);
    await batcher.submitMessage(message(onBusShardOf('4', '6'))).catch(() => undefined);
    // Pub/sub is asynchronous: wait for a marker published after the rejections on the same
    // connection (and shard); Redis delivers in order, so anything the batcher published came before it.
    const marker = onBusShardOf('4', `marker-${randomUUID()}`);
    await markers.publish('presence.changed', { companyID: marker, count: 0 });
    const isMarker = (envelope: BusEnvelope) => envelope.type === 'presence.changed' && envelope.payload.companyID === marker;
    await expect.poll(() => received.some(isMarker)).toBe(true);
    expect(received.filter((envelope) => envelope.type === 'message.stored')).toEqual([]);
    expect(received.filter((envelope) => !isMarker(envelope))).toEqual([]);
  });
});
