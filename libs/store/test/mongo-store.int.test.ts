import { randomUUID } from 'node:crypto';
import { MongoClient } from 'mongodb';
import type { Document } from 'mongodb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { newRecordId } from '@notify/contracts';
import { StoreMismatchError } from '../src/store-errors.js';
import { MongoStore } from '../src/mongo/mongo-store.js';
import type { MongoStoreOptions } from '../src/mongo/mongo-store.js';
import type { MessagesRetention } from '../src/mongo/messages-retention.js';
import type { MessageDocument } from '../src/mongo/message-document.js';
import type { DynamicDocument } from '../src/mongo/dynamic-document.js';
import { DYNAMICS_COLLECTION, IndexName, MESSAGES_COLLECTION } from '../src/mongo/mongo-collection-specs.js';
import { mongoQueries } from '../src/mongo/mongo-queries.js';
import type { FindShape } from '../src/mongo/mongo-queries.js';
import { runStoreContract } from './store-contract.js';
import { testMessage } from './test-records.js';

const mongoUrl = process.env['MONGO_URL'];
const RUN_IT = 'MONGO_URL=mongodb://127.0.0.1:27017 npx vitest run --project integration libs/store/test/mongo-store.int.test.ts';
if (!mongoUrl) console.log(`MongoDB store tests skipped: MONGO_URL is not set. Run them against a real server with: ${RUN_IT}`);

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

describe.skipIf(!mongoUrl)('MongoDB store (skipped: set MONGO_URL to run it against a real server)', () => {
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

  runStoreContract('mongo', ({ messagesCapDocs }) => MongoStore.open(options(freshDatabase(), capped(messagesCapDocs))));

  describe('schema', () => {
    it('creates a capped messages collection, the operation log and every index; opening again changes nothing', async () => {
      const dbName = freshDatabase();
      await (await MongoStore.open(options(dbName, capped(1000)))).close();
      const first = await messagesInfo(dbName);
      await (await MongoStore.open(options(dbName, capped(1000)))).close();

      expect(first?.options).toMatchObject({ capped: true, size: CAP_BYTES, max: 1000 });
      expect(await messagesInfo(dbName)).toStrictEqual(first);
      expect(await indexNames(dbName, MESSAGES_COLLECTION)).toEqual(['_id_', IndexName.messagesByReceiver].sort());
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

    it('with RETENTION=ttl keeps messages in a normal collection with a TTL index, and applies a new MESSAGES_TTL_DAYS', async () => {
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
    });

    it('marks read in place on a capped collection: the stored document keeps its size', async () => {
      const dbName = freshDatabase();
      const store = await MongoStore.open(options(dbName, capped(10)));
      const one = message({ sender: 'Sam', url: 'https://app.example/x' });
      await store.insertMessages([one]);
      const bsonSize = async () => {
        const [row] = await messagesOf(dbName).aggregate([{ $match: { _id: one.id } }, { $project: { size: { $bsonSize: '$$ROOT' } } }]).toArray();
        return row?.['size'] as unknown;
      };
      const before = await bsonSize();

      expect(await store.markRead('alice', { ids: [one.id] }, READ_AT)).toBe(1);
      expect(await bsonSize()).toBe(before);
      expect(await store.listMessages({ receiverID: 'alice', limit: 1 })).toStrictEqual([{ ...one, isRead: true, readAt: READ_AT }]);
      await store.close();
    });
  });

  describe('query plans', () => {
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
    ])('lists messages (%s) from the messages index, in index order', async (_name, filters) => {
      const shape = mongoQueries.listMessages({ receiverID: 'u1', limit: 20, ...filters });
      expectIndexPlan(await explainMessages(shape), IndexName.messagesByReceiver, { sorted: true });
    });

    it.each([
      ['all companies', undefined],
      ['one company', 'c1'],
    ])('counts unread messages (%s) from the messages index', async (_name, companyID) => {
      const explain = await messagesOf(dbName).aggregate(mongoQueries.unreadCount('u1', companyID)).explain('queryPlanner');
      expectIndexPlan(explain, IndexName.messagesByReceiver, { sorted: false });
    });

    it.each([
      ['one type', { typeID: 2 as const }],
      ['all', { all: true as const }],
    ])('finds the messages to mark read (%s) from the messages index', async (_name, selector) => {
      const explain = await messagesOf(dbName).find(mongoQueries.markRead('u1', selector)).explain('queryPlanner');
      expectIndexPlan(explain, IndexName.messagesByReceiver, { sorted: false });
    });

    it('finds the messages to mark read by ids from an index', async () => {
      const explain = await messagesOf(dbName).find(mongoQueries.markRead('u1', { ids: [before] })).explain('queryPlanner');
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
