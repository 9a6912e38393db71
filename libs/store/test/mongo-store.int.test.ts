import { randomUUID } from 'node:crypto';
import { MongoClient } from 'mongodb';
import type { Document } from 'mongodb';
import { afterAll, beforeAll, describe, expect, inject, it, vi } from 'vitest';
import { newRecordId } from '@notify/contracts';
import { StoreMismatchError } from '../src/store-errors.js';
import { MongoStore } from '../src/mongo/mongo-store.js';
import type { MongoStoreOptions } from '../src/mongo/mongo-store.js';
import type { MessagesRetention } from '../src/mongo/messages-retention.js';
import type { MessageDocument } from '../src/mongo/message-document.js';
import { toMessageDocument } from '../src/mongo/message-document.js';
import type { DynamicDocument } from '../src/mongo/dynamic-document.js';
import { COUNTERS_COLLECTION, DYNAMICS_COLLECTION, IndexName, MESSAGES_COLLECTION } from '../src/mongo/mongo-collection-specs.js';
import { counterQuery, hourOf, type CounterDocument } from '../src/mongo/inbox-counters.js';
import { mongoQueries } from '../src/mongo/mongo-queries.js';
import type { FindShape } from '../src/mongo/mongo-queries.js';
import { runStoreContract } from './store-contract.js';
import { testMessage, testMessagesAcrossHours } from './test-records.js';

// MONGO_URL's server, or the run's own FerretDB (libs/testing/src/mongo-global-setup.ts).
const server = inject('mongoServer');
const mongoUrl = server.url;
if (!mongoUrl) console.log(`MongoDB store tests skipped: ${server.skipReason}`);
/**
 * FerretDB 1.24 differs from MongoDB in ways the tests below name one by one: a MongoDB-only test
 * is skipped on it with the reason in its title, and FerretDB-only tests pin down what it does instead.
 */
const isFerret = server.kind === 'ferretdb';
const FERRET_CAP_LATER = "FerretDB applies a capped collection's limits in a background cleanup (once a minute), not on insert";
const FERRET_NO_TTL = 'FerretDB 1.24 has no TTL indexes (expireAfterSeconds is "not implemented yet")';
const FERRET_EXPLAIN = "FerretDB's explain() shows SQLite's plan and whether it pushed the filter down, not MongoDB's plan stages";
/** ` (MongoDB only: <reason>)` on FerretDB, for the title of a test skipped there. */
const FERRET_LOST_UPDATE =
  'FerretDB 1.24 does not check an update filter again as it writes each document, so concurrent conditional updates of the same documents each report them modified (a lost update), which no counter can be exact under';
const ferretSkip = (reason: string) => (isFerret ? ` (MongoDB only: ${reason})` : '');

/** Large enough that only the document cap (messagesCapDocs) ever drops messages in these tests. */
const CAP_BYTES = 64 * 1024 ** 2;
const READ_AT = '2026-03-05T10:00:00.000Z';

const message = testMessage;

/** Every `stage` of every winning plan in an explain() answer (find, aggregate, sharded or not). */
function winningStages(explain: Document): { stage: string; indexName?: unknown }[] {
  const stages: { stage: string; indexName?: unknown }[] = [];
  const visit = (node: unknown, inWinningPlan: boolean): void => {
    if (Array.isArray(node)) return node.forEach((child) => visit(child, inWinningPlan));
    if (node === null || typeof node !== 'object') return;
    const record = node as Record<string, unknown>;
    if (inWinningPlan && typeof record['stage'] === 'string') stages.push({ stage: record['stage'], indexName: record['indexName'] });
    for (const [key, child] of Object.entries(record)) {
      if (key !== 'rejectedPlans') visit(child, inWinningPlan || key === 'winningPlan');
    }
  };
  visit(explain, false);
  return stages;
}

/** Asserts the plan reads `indexName` and never scans the collection or sorts in memory. */
function expectIndexPlan(explain: Document, indexName: string, { sorted }: { sorted: boolean }): void {
  const stages = winningStages(explain);
  const names = stages.map(({ stage }) => stage);
  expect(names, JSON.stringify(stages)).not.toContain('COLLSCAN');
  expect(stages.filter(({ stage }) => stage === 'IXSCAN' || stage === 'COUNT_SCAN').map((s) => s.indexName), JSON.stringify(stages)).toContain(indexName);
  // SORT_MERGE (merging index ranges already in _id order) is fine; a blocking SORT is not.
  if (sorted) expect(names, JSON.stringify(stages)).not.toContain('SORT');
}

describe.skipIf(!mongoUrl)(`MongoDB store on ${server.label ?? `no server (skipped: ${server.skipReason})`}`, () => {
  const url = mongoUrl ?? '';
  const databases = new Set<string>();
  let admin: MongoClient;

  beforeAll(async () => {
    admin = await new MongoClient(url, { serverSelectionTimeoutMS: 5000 }).connect();
  });

  afterAll(async () => {
    for (const name of databases) await admin.db(name).dropDatabase();
    await admin.close();
  });

  /** A database name no other test uses; dropped after the run. */
  const freshDatabase = () => {
    const name = `notify_test_${randomUUID().replaceAll('-', '').slice(0, 16)}`;
    databases.add(name);
    return name;
  };
  const options = (dbName: string, retention: MessagesRetention): MongoStoreOptions => ({ url, dbName, poolSize: 5, timeoutMs: 5000, retention });
  const capped = (capDocs?: number): MessagesRetention => ({ kind: 'capped', capBytes: CAP_BYTES, capDocs });
  const messagesInfo = async (dbName: string) => {
    const [info] = await admin.db(dbName).listCollections({ name: MESSAGES_COLLECTION }, { nameOnly: false }).toArray();
    return info;
  };
  const messagesOf = (dbName: string) => admin.db(dbName).collection<MessageDocument>(MESSAGES_COLLECTION);
  const dynamicsOf = (dbName: string) => admin.db(dbName).collection<DynamicDocument>(DYNAMICS_COLLECTION);
  const indexNames = async (dbName: string, collection: string) =>
    (await admin.db(dbName).collection(collection).listIndexes().toArray()).map((index) => index['name']).sort();

  runStoreContract('mongo', ({ messagesCapDocs }) => MongoStore.open(options(freshDatabase(), capped(messagesCapDocs))), {
    capAppliedLater: isFerret ? `MongoDB only: ${FERRET_CAP_LATER}` : undefined,
  });

  describe('counts kept in counters (inbox_counts)', () => {
    const countersOf = (dbName: string) => admin.db(dbName).collection<CounterDocument>(COUNTERS_COLLECTION);
    /** What the counts are, counted from the messages themselves. */
    const recounted = async (dbName: string, receiverID: string) => {
      const counted = await messagesOf(dbName).find({ receiverID, isDeleted: false, isArchived: false }).toArray();
      const unread = counted.filter((m) => !m.isRead);
      return { total: unread.length, unseen: counted.filter((m) => !m.isSeen).length };
    };

    it("keeps one counter per hour, company and type, so a user's backlog does not add to what a count reads", async () => {
      const dbName = freshDatabase();
      const store = await MongoStore.open(options(dbName, capped()));
      const backlog = Array.from({ length: 600 }, (_, i) => message({ typeID: ((i % 2) + 1) as 1 | 2 }));
      for (let start = 0; start < backlog.length; start += 200) await store.insertMessages(backlog.slice(start, start + 200));

      expect(await store.counts('alice')).toEqual({ total: 600, byType: { '1': 300, '2': 300, '3': 0 }, unseen: 600 });
      const counters = await countersOf(dbName).find(counterQuery('alice')).toArray();
      expect(counters.length).toBeLessThanOrEqual(4); // two types, at most two hours
      expect(counters.reduce((sum, counter) => sum + counter.unread, 0)).toBe(600);
      // Nothing was dropped: the lowest id ever stored is the oldest, so no hour is counted from the messages.
      expect(await countersOf(dbName).findOne({ _id: '~first-stored' })).toMatchObject({ firstId: backlog[0]?.id });
      await store.close();
    });

    it('counts exactly once a message a crashed attempt stored but never counted, and never twice one counted', async () => {
      const dbName = freshDatabase();
      const store = await MongoStore.open(options(dbName, capped()));
      const [crashed, counted] = [message(), message()];
      await store.insertMessages([counted]);
      // What an attempt that died between storing and counting leaves behind.
      await messagesOf(dbName).insertOne(toMessageDocument(crashed));

      await store.insertMessages([crashed, counted]);
      await Promise.all([store.insertMessages([crashed]), store.insertMessages([crashed, counted])]);

      expect(await store.counts('alice')).toMatchObject({ total: 2, unseen: 2 });
      await store.close();
    });

    it.skipIf(isFerret)(`stays exact under concurrent changes of the same messages, from several processes${ferretSkip(FERRET_LOST_UPDATE)}`, async () => {
      const dbName = freshDatabase();
      const stores = await Promise.all([1, 2, 3].map(() => MongoStore.open(options(dbName, capped()))));
      const [one, two, three] = stores as [MongoStore, MongoStore, MongoStore];
      for (let round = 0; round < 4; round += 1) {
        await one.insertMessages(Array.from({ length: 30 }, (_, i) => message({ typeID: ((i % 3) + 1) as 1 | 2 | 3, companyID: i % 2 ? 'c1' : 'c2' })));
        // Two tabs marking everything read at once, and others changing the same messages meanwhile.
        await Promise.all([
          one.changeMessages('alice', 'read', { all: true }, READ_AT),
          two.changeMessages('alice', 'read', { all: true }, READ_AT),
          two.changeMessages('alice', 'read', { typeID: 2 }, READ_AT),
          three.changeMessages('alice', 'seen', { all: true }, READ_AT),
          two.changeMessages('alice', 'archive', { typeID: 3 }, READ_AT),
          three.changeMessages('alice', 'unread', { typeID: 1 }, READ_AT),
          one.changeMessages('alice', 'unarchive', { all: true }, READ_AT),
        ]);
        expect(await one.counts('alice'), `round ${round}`).toMatchObject(await recounted(dbName, 'alice'));
      }
      await Promise.all(stores.map((store) => store.close()));
    });

    it('counts the messages an earlier version stored when it first opens', async () => {
      const dbName = freshDatabase();
      await (await MongoStore.open(options(dbName, capped()))).close();
      await admin.db(dbName).collection(COUNTERS_COLLECTION).drop();
      // Documents of the version before the counters: no countClaim.
      const earlier = [message(), message({ typeID: 2 }), message({ typeID: 3, isRead: true, isSeen: true, readAt: READ_AT, seenAt: READ_AT })];
      await messagesOf(dbName).insertMany(earlier.map((m) => { const { countClaim: _, ...document } = toMessageDocument(m); return document; }));

      const stores = await Promise.all([1, 2].map(() => MongoStore.open(options(dbName, capped()))));
      expect(await stores[0]?.counts('alice')).toEqual({ total: 2, byType: { '1': 1, '2': 1, '3': 0 }, unseen: 2 });
      await stores[1]?.insertMessages([message()]);
      expect(await stores[1]?.counts('alice')).toMatchObject({ total: 3 });
      await Promise.all(stores.map((store) => store?.close()));
    });
  });

  describe('schema', () => {
    it('creates a capped messages collection, the operation log and every index; opening again changes nothing', async () => {
      const dbName = freshDatabase();
      await (await MongoStore.open(options(dbName, capped(1000)))).close();
      const first = await messagesInfo(dbName);
      await (await MongoStore.open(options(dbName, capped(1000)))).close();

      expect(first?.options).toMatchObject({ capped: true, size: CAP_BYTES, max: 1000 });
      expect(await messagesInfo(dbName)).toStrictEqual(first);
      expect(await indexNames(dbName, MESSAGES_COLLECTION)).toEqual(['_id_', IndexName.messagesByReceiver, IndexName.messagesUnseen].sort());
      expect(await indexNames(dbName, DYNAMICS_COLLECTION)).toEqual(['_id_', IndexName.dynamicsByCompany, IndexName.dynamicsByObject].sort());
    });

    it('lets several processes open the same fresh database at once', async () => {
      const dbName = freshDatabase();
      const stores = await Promise.all([1, 2, 3].map(() => MongoStore.open(options(dbName, capped()))));
      await Promise.all(stores.map((store) => store.close()));
      expect((await messagesInfo(dbName))?.options).toMatchObject({ capped: true });
    });

    it('keeps existing data when it opens again', async () => {
      const dbName = freshDatabase();
      const kept = message();
      const first = await MongoStore.open(options(dbName, capped()));
      await first.insertMessages([kept]);
      await first.close();

      const second = await MongoStore.open(options(dbName, capped()));
      expect(await second.listMessages({ receiverID: 'alice', limit: 10 })).toStrictEqual([kept]);
      await second.close();
    });

    it('refuses RETENTION=ttl on an existing capped messages collection', async () => {
      const dbName = freshDatabase();
      await (await MongoStore.open(options(dbName, capped()))).close();

      const opening = MongoStore.open(options(dbName, { kind: 'ttl', ttlDays: 30 }));
      await expect(opening).rejects.toBeInstanceOf(StoreMismatchError);
      await expect(opening).rejects.toThrow(/^messages collection is capped \(67108864 bytes, no document limit\) but RETENTION=ttl was asked/);
      expect((await messagesInfo(dbName))?.options).toMatchObject({ capped: true, size: CAP_BYTES });
    });

    it('refuses another cap size or document limit', async () => {
      const dbName = freshDatabase();
      await (await MongoStore.open(options(dbName, capped(100)))).close();

      await expect(MongoStore.open(options(dbName, { kind: 'capped', capBytes: 2 * CAP_BYTES, capDocs: 100 }))).rejects.toBeInstanceOf(StoreMismatchError);
      await expect(MongoStore.open(options(dbName, capped(200)))).rejects.toBeInstanceOf(StoreMismatchError);
      await expect(MongoStore.open(options(dbName, capped()))).rejects.toBeInstanceOf(StoreMismatchError);
    });

    it.skipIf(isFerret)(
      `with RETENTION=ttl keeps messages in a normal collection with a TTL index, and applies a new MESSAGES_TTL_DAYS${ferretSkip(FERRET_NO_TTL)}`,
      async () => {
        const dbName = freshDatabase();
        const store = await MongoStore.open(options(dbName, { kind: 'ttl', ttlDays: 30 }));
        const stored = message();
        await store.insertMessages([stored]);
        await store.close();
        const ttlIndex = async () => (await messagesOf(dbName).listIndexes().toArray()).find((index) => index['name'] === IndexName.messagesTtl);

        expect((await messagesInfo(dbName))?.options?.['capped']).not.toBe(true);
        expect(await ttlIndex()).toMatchObject({ key: { acceptedAt: 1 }, expireAfterSeconds: 30 * 86_400 });
        const document = await messagesOf(dbName).findOne({ _id: stored.id });
        expect(document?.acceptedAt).toBeInstanceOf(Date);

        await (await MongoStore.open(options(dbName, { kind: 'ttl', ttlDays: 7 }))).close();
        expect(await ttlIndex()).toMatchObject({ expireAfterSeconds: 7 * 86_400 });
        await expect(MongoStore.open(options(dbName, capped()))).rejects.toBeInstanceOf(StoreMismatchError);
      },
    );

    it('changes states in place on a capped collection: the stored document keeps its size', async () => {
      const dbName = freshDatabase();
      const store = await MongoStore.open(options(dbName, capped(10)));
      const one = message({ sender: 'Sam', url: 'https://app.example/x' });
      await store.insertMessages([one]);
      // The document's bytes exactly as the server holds and sends them (not $bsonSize, which FerretDB lacks).
      const bsonSize = async () => {
        const raw = await messagesOf(dbName).findOne({ _id: one.id }, { raw: true });
        // With `raw: true` the driver returns the BSON bytes, though its type says a document.
        return (raw as unknown as Uint8Array | null)?.byteLength;
      };
      const before = await bsonSize();

      for (const change of ['seen', 'read', 'archive', 'unread', 'unarchive'] as const) {
        expect(await store.changeMessages('alice', change, { ids: [one.id] }, READ_AT), change).toEqual([one.id]);
        expect(await bsonSize(), change).toBe(before);
      }
      expect(await store.listMessages({ receiverID: 'alice', limit: 1 })).toStrictEqual([{ ...one, isSeen: true, seenAt: READ_AT }]);
      expect(await store.changeMessages('alice', 'delete', { ids: [one.id] }, READ_AT)).toEqual([one.id]);
      expect(await bsonSize()).toBe(before);
      await store.close();
    });
  });

  describe.runIf(isFerret)('what FerretDB does instead (FerretDB only)', () => {
    it('reports a document modified by each of several concurrent conditional updates (why exact counts under concurrency are MongoDB only)', async () => {
      const dbName = freshDatabase();
      const clients = await Promise.all([1, 2, 3].map(() => new MongoClient(url).connect()));
      try {
        const ids = Array.from({ length: 100 }, (_, i) => `d${i}`);
        let overlaps = 0;
        for (let round = 0; round < 10 && overlaps === 0; round += 1) {
          const collection = (index: number) => clients[index]?.db(dbName).collection<{ _id: string; x: number }>('race');
          await collection(0)?.deleteMany({});
          await collection(0)?.insertMany(ids.map((_id) => ({ _id, x: 0 })));
          const results = await Promise.all([0, 1, 2].map((index) => collection(index)?.updateMany({ _id: { $in: ids }, x: 0 }, { $set: { x: 1 } })));
          // MongoDB: 100 in all. Each update's filter is checked again as it writes each document.
          overlaps = results.reduce((sum, result) => sum + (result?.modifiedCount ?? 0), 0) - ids.length;
        }
        expect(overlaps).toBeGreaterThan(0);
      } finally {
        await Promise.all(clients.map((client) => client.close()));
      }
    });

    it('refuses RETENTION=ttl at open, naming the fix, and creates nothing', async () => {
      const dbName = freshDatabase();

      const opening = MongoStore.open(options(dbName, { kind: 'ttl', ttlDays: 30 }));
      await expect(opening).rejects.toBeInstanceOf(StoreMismatchError);
      await expect(opening).rejects.toThrow(/^RETENTION=ttl needs a TTL index on messages, which this server does not implement .*: use RETENTION=capped$/);
      expect(await messagesInfo(dbName)).toBeUndefined();
      await (await MongoStore.open(options(dbName, capped()))).close();
    });

    it('drops the oldest messages over the document cap in its capped cleanup (which compact runs at once)', async () => {
      const dbName = freshDatabase();
      const store = await MongoStore.open(options(dbName, capped(5)));
      const all = Array.from({ length: 8 }, (_, i) => message({ title: `m${i}` }));
      for (const one of all) await store.insertMessages([one]);

      await admin.db(dbName).command({ compact: MESSAGES_COLLECTION });

      expect(await store.listMessages({ receiverID: 'alice', limit: 100 })).toStrictEqual(all.slice(3).reverse());
      expect((await store.counts('alice')).total).toBe(5);
      await store.close();
    });

    it('counts exactly what its capped cleanup left, when that dropped whole earlier hours and part of one', async () => {
      const dbName = freshDatabase();
      const store = await MongoStore.open(options(dbName, capped(5)));
      // 2 messages two hours ago (dropped), 3 an hour ago (1 dropped), 3 now.
      const all = testMessagesAcrossHours([2, 3, 3]);
      expect(new Set(all.map((m) => hourOf(m.id))).size).toBe(3);
      for (const one of all) await store.insertMessages([one]);
      expect((await store.counts('alice')).total).toBe(8);

      await admin.db(dbName).command({ compact: MESSAGES_COLLECTION });

      expect((await store.listMessages({ receiverID: 'alice', limit: 100 })).map((m) => m.id)).toEqual(all.slice(3).map((m) => m.id).reverse());
      // The counters keep the oldest stored message's id for up to a second before reading it again.
      await vi.waitFor(async () => expect((await store.counts('alice')).total).toBe(5), { timeout: 5000 });
      await store.close();
    });
  });

  describe.skipIf(isFerret)(`query plans${ferretSkip(FERRET_EXPLAIN)}`, () => {
    let dbName: string;
    const before = newRecordId();

    beforeAll(async () => {
      dbName = freshDatabase();
      const store = await MongoStore.open(options(dbName, capped()));
      await store.insertMessages(Array.from({ length: 50 }, (_, i) => message({ receiverID: `u${i % 5}`, typeID: ((i % 3) + 1) as 1 | 2 | 3 })));
      await store.close();
    });

    const explainMessages = ({ filter, sort, limit, hint }: FindShape<MessageDocument>) =>
      messagesOf(dbName).find(filter, { sort, limit, hint }).explain('queryPlanner');
    const explainDynamics = ({ filter, sort, limit, hint }: FindShape<DynamicDocument>) =>
      dynamicsOf(dbName).find(filter, { sort, limit, hint }).explain('queryPlanner');

    it.each([
      ['all', {}],
      ['unread', { unread: true }],
      ['read', { unread: false }],
      ['one type', { typeID: 2 as const }],
      ['unread of one type', { unread: true, typeID: 3 as const }],
      ['one company', { companyID: 'c1' }],
      ['a page before an id', { before }],
      ['unread since an id (replay)', { unread: true, after: before }],
      ['the inbox', { archived: false }],
      ['the archive, unread', { archived: true, unread: true }],
      ['forward from an id', { after: before, order: 'oldest' as const }],
      ['a catch-up range', { archived: false, atOrAfter: before }],
    ])('lists messages (%s) from the messages index, in index order', async (_name, filters) => {
      const shape = mongoQueries.listMessages({ receiverID: 'u1', limit: 20, ...filters });
      expectIndexPlan(await explainMessages(shape), IndexName.messagesByReceiver, { sorted: true });
    });

    it.each([
      ['all companies', undefined],
      ['one company', 'c1'],
    ])('counts the hour of the oldest message (%s) from the messages indexes', async (_name, companyID) => {
      const filter = mongoQueries.countedMessages('u1', before, newRecordId(), companyID);
      const explain = await messagesOf(dbName).find(filter).explain('queryPlanner');
      expectIndexPlan(explain, IndexName.messagesByReceiver, { sorted: false });
      expectIndexPlan(explain, IndexName.messagesUnseen, { sorted: false });
    });

    it("reads a user's counters as one range of the counters' _id index", async () => {
      const explain = await admin.db(dbName).collection<CounterDocument>(COUNTERS_COLLECTION).find(counterQuery('u1')).explain('queryPlanner');
      expectIndexPlan(explain, '_id_', { sorted: false });
    });

    it.each([
      ['one type', { typeID: 2 as const }],
      ['all', { all: true as const }],
      ['up to an id', { upTo: before }],
    ])('finds the messages a change selects (%s) from the messages index', async (_name, selector) => {
      const explain = await messagesOf(dbName).find({ ...mongoQueries.selected('u1', selector), isRead: false }).explain('queryPlanner');
      expectIndexPlan(explain, IndexName.messagesByReceiver, { sorted: false });
    });

    it('finds the messages a change selects by ids from an index', async () => {
      const explain = await messagesOf(dbName).find(mongoQueries.selected('u1', { ids: [before] })).explain('queryPlanner');
      const stages = winningStages(explain).map(({ stage }) => stage);
      expect(stages).not.toContain('COLLSCAN');
      expect(stages.some((stage) => stage === 'IXSCAN' || stage === 'IDHACK' || stage === 'EXPRESS_IXSCAN')).toBe(true);
    });

    it("pages a company's dynamics and an object's log from their indexes, in index order", async () => {
      const company = mongoQueries.companyDynamics({ companyID: 'c1', limit: 20, before });
      expectIndexPlan(await explainDynamics(company), IndexName.dynamicsByCompany, { sorted: true });
      for (const companyID of [undefined, 'c1']) {
        const object = mongoQueries.objectLogs({ objectType: 'task', objectID: 't1', companyID, limit: 20, before });
        expectIndexPlan(await explainDynamics(object), IndexName.dynamicsByObject, { sorted: true });
      }
    });
  });
});
