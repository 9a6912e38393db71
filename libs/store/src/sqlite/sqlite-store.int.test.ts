import { randomUUID } from 'node:crypto';
import { chmodSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import Database from 'better-sqlite3';
import { afterAll, afterEach, describe, expect, it } from 'vitest';
import { NO_COUNTS, newRecordId } from '@notify/contracts';
import { waitUntil } from '@notify/testing';
import { runStoreContract } from '../../test/store-contract.js';
import { testMessage } from '../../test/test-records.js';
import { StoreUnavailableError } from '../store-errors.js';
import { sqliteQueries, type SqlQuery } from './sqlite-queries.js';
import { SqliteStore, type SqliteStoreOptions } from './sqlite-store.js';

const root = mkdtempSync(join(tmpdir(), 'notify-sqlite-'));
/** A file in a directory that does not exist yet: opening creates it. */
const freshPath = () => join(root, randomUUID(), 'notify.db');

afterAll(() => rmSync(root, { recursive: true, force: true }));

runStoreContract('sqlite', ({ messagesCapDocs }) => SqliteStore.open({ path: freshPath(), messagesCapRows: messagesCapDocs }));

const READ_AT = '2026-03-05T10:00:00.000Z';

const message = testMessage;

describe('SqliteStore', () => {
  const cleanups: (() => unknown)[] = [];
  afterEach(async () => {
    for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
  });

  const open = async (path = freshPath(), options: Partial<SqliteStoreOptions> = {}) => {
    const store = await SqliteStore.open({ path, messagesCapRows: 1000, ...options });
    cleanups.push(() => store.close());
    return store;
  };
  /** A second connection to the file, as another process would open it. */
  const rawConnection = (path: string) => {
    const db = new Database(path);
    cleanups.push(() => db.close());
    return db;
  };

  it('runs the file in WAL mode', async () => {
    const path = freshPath();
    await open(path);
    expect(rawConnection(path).pragma('journal_mode', { simple: true })).toBe('wal');
  });

  it('answers every list, count and change from an index, never a full table scan', async () => {
    const path = freshPath();
    await open(path);
    const db = rawConnection(path);
    const before = newRecordId();
    const inbox = /messages_inbox(_by_state)?/;
    const expected: [SqlQuery, RegExp][] = [
      ...[
        {},
        { archived: false },
        { archived: true, unread: true },
        { unread: true, typeID: 2 as const },
        { unread: false, companyID: 'c1' },
        { before },
        { unread: true, after: before, order: 'oldest' as const },
        { archived: false, atOrAfter: before },
      ].map((filters): [SqlQuery, RegExp] => [sqliteQueries.listMessages({ receiverID: 'alice', limit: 20, ...filters }), inbox]),
      [sqliteQueries.storedMessages([before]), /sqlite_autoindex_messages_1/],
      [sqliteQueries.counts('alice'), /PRIMARY KEY/],
      [sqliteQueries.counts('alice', 'c1'), /PRIMARY KEY/],
      [sqliteQueries.changeMessages('alice', 'read', { ids: [before] }, READ_AT), /sqlite_autoindex_messages_1/],
      [sqliteQueries.changeMessages('alice', 'seen', { typeID: 1 }, READ_AT), inbox],
      [sqliteQueries.changeMessages('alice', 'archive', { all: true }, READ_AT), inbox],
      [sqliteQueries.changeMessages('alice', 'delete', { upTo: before }, READ_AT), inbox],
      [sqliteQueries.listCompanyDynamics({ companyID: 'c1', limit: 20 }), /dynamics_company_id/],
      [sqliteQueries.listCompanyDynamics({ companyID: 'c1', limit: 20, before }), /dynamics_company_id/],
      [sqliteQueries.listCompanyDynamics({ companyID: 'c1', limit: 20, atOrAfter: before, order: 'oldest' }), /dynamics_company_id/],
      [sqliteQueries.listObjectLogs({ objectType: 'task', objectID: '1', limit: 20 }), /dynamics_object_id/],
      [sqliteQueries.listObjectLogs({ objectType: 'task', objectID: '1', companyID: 'c1', limit: 20, before }), /dynamics_object_id/],
    ];

    for (const [{ sql, params }, index] of expected) {
      const plan = (db.prepare(`EXPLAIN QUERY PLAN ${sql}`).all(...params) as { detail: string }[]).map((step) => step.detail).join('\n');
      expect(plan, sql).toMatch(new RegExp(`SEARCH (messages|dynamics|inbox_counts) USING (COVERING )?(INDEX )?(${index.source}) `));
      expect(plan, sql).not.toMatch(/SCAN (messages|dynamics|inbox_counts)\b/);
    }
  });

  it('keeps the counts exact with triggers, through inserts, changes and the cap', async () => {
    const path = freshPath();
    const store = await open(path, { messagesCapRows: 4 });
    const [first, second, third] = [message({ typeID: 1 }), message({ typeID: 2 }), message({ typeID: 2 })];
    await store.insertMessages([first, second, third, second]);
    await store.changeMessages('alice', 'read', { ids: [second.id] }, READ_AT);
    await store.changeMessages('alice', 'archive', { ids: [third.id] }, READ_AT);
    await store.insertMessages([message({ typeID: 3 }), message({ typeID: 3 })]); // the cap drops `first` (unread)
    expect(await store.counts('alice')).toEqual({ total: 2, byType: { '1': 0, '2': 0, '3': 2 }, unseen: 2 });
    await store.changeMessages('alice', 'unarchive', { ids: [third.id] }, READ_AT);
    await store.changeMessages('alice', 'delete', { typeID: 3 }, READ_AT);
    expect(await store.counts('alice')).toEqual({ total: 1, byType: { '1': 0, '2': 1, '3': 0 }, unseen: 1 });
  });

  it('brings a database of an earlier version up to date: state columns, seen from read, counts filled', async () => {
    const path = freshPath();
    mkdirSync(dirname(path));
    const db = rawConnection(path);
    // The schema of the version before message states, with two unread messages and a read one.
    db.exec(`
      CREATE TABLE messages (seq INTEGER PRIMARY KEY, id TEXT NOT NULL UNIQUE, companyID TEXT NOT NULL, receiverID TEXT NOT NULL,
        senderID TEXT, sender TEXT, portrait TEXT, typeID INTEGER NOT NULL, title TEXT NOT NULL, content TEXT NOT NULL, url TEXT,
        date TEXT NOT NULL, isRead INTEGER NOT NULL, readAt TEXT) STRICT;
      CREATE INDEX messages_receiver_read_type_id ON messages (receiverID, isRead, typeID, id);
      CREATE TABLE unread_counts (receiverID TEXT NOT NULL, companyID TEXT NOT NULL, typeID INTEGER NOT NULL, n INTEGER NOT NULL,
        PRIMARY KEY (receiverID, companyID, typeID)) STRICT, WITHOUT ROWID;
      CREATE TRIGGER unread_counts_on_insert AFTER INSERT ON messages WHEN NEW.isRead = 0 BEGIN
        INSERT INTO unread_counts VALUES (NEW.receiverID, NEW.companyID, NEW.typeID, 1) ON CONFLICT DO UPDATE SET n = n + 1; END;`);
    const [unreadOne, unreadTwo, readOne] = [message(), message({ typeID: 2 }), message({ typeID: 2 })];
    const insert = db.prepare('INSERT INTO messages (id, companyID, receiverID, typeID, title, content, date, isRead, readAt) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)');
    for (const m of [unreadOne, unreadTwo]) insert.run(m.id, m.companyID, m.receiverID, m.typeID, m.title, m.content, m.date, 0, null);
    insert.run(readOne.id, readOne.companyID, readOne.receiverID, readOne.typeID, readOne.title, readOne.content, readOne.date, 1, READ_AT);

    const store = await open(path);

    expect(await store.listMessages({ receiverID: 'alice', limit: 10 })).toStrictEqual([
      { ...readOne, isRead: true, readAt: READ_AT, isSeen: true, seenAt: READ_AT },
      unreadTwo,
      unreadOne,
    ]);
    expect(await store.counts('alice')).toEqual({ total: 2, byType: { '1': 1, '2': 1, '3': 0 }, unseen: 2 });
    const leftOver = db.prepare("SELECT name FROM sqlite_master WHERE name LIKE 'unread_counts%' OR name = 'messages_receiver_read_type_id'").all();
    expect(leftOver).toEqual([]);
    await store.insertMessages([message({ typeID: 3 })]);
    await store.changeMessages('alice', 'seen', { all: true }, READ_AT);
    expect(await store.counts('alice')).toEqual({ total: 3, byType: { '1': 1, '2': 1, '3': 1 }, unseen: 0 });
  });

  it('stores text as sent, without escaping', async () => {
    const path = freshPath();
    const store = await open(path);
    const text = `<script>alert("x")</script> & 'quotes' 你好 🎉`;
    await store.insertMessages([message({ content: text })]);

    expect(rawConnection(path).prepare('SELECT content FROM messages').pluck().get()).toBe(text);
  });

  it("shares one file between processes: each sees the other's writes and the cap holds", async () => {
    const path = freshPath();
    const api = await open(path, { messagesCapRows: 5 });
    const worker = await open(path, { messagesCapRows: 5 });
    const sent = Array.from({ length: 8 }, () => message());
    for (const [i, one] of sent.entries()) await (i % 2 === 0 ? worker : api).insertMessages([one]);
    const newestFive = sent.slice(3).map((m) => m.id).reverse();

    for (const store of [api, worker]) {
      expect((await store.listMessages({ receiverID: 'alice', limit: 100 })).map((m) => m.id)).toEqual(newestFive);
    }
    expect(await api.changeMessages('alice', 'read', { all: true }, READ_AT)).toHaveLength(5);
    expect(await worker.counts('alice')).toEqual(NO_COUNTS);
  });

  it('rejects writes with StoreUnavailableError while another process holds the lock too long, and recovers', async () => {
    const path = freshPath();
    const store = await open(path, { busyTimeoutMs: 50 });
    const other = rawConnection(path);
    other.exec('BEGIN IMMEDIATE');

    const error: unknown = await store.insertMessages([message()]).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(StoreUnavailableError);
    expect((error as Error).cause).toMatchObject({ code: 'SQLITE_BUSY' });
    // WAL lets readers through while a writer holds the lock.
    await expect(store.ping()).resolves.toBeUndefined();

    other.exec('ROLLBACK');
    await store.insertMessages([message()]);
    expect(await store.counts('alice')).toMatchObject({ total: 1 });
  });

  it('waits for another process\'s write lock without holding up the event loop, then writes', async () => {
    const path = freshPath();
    const store = await open(path, { busyTimeoutMs: 5000 });
    const other = rawConnection(path);
    other.exec('BEGIN IMMEDIATE');
    let turns = 0;
    const ticker = setInterval(() => (turns += 1), 1);

    const write = store.changeMessages('alice', 'read', { all: true }, READ_AT).then(() => store.insertMessages([message()]));
    // Other work goes on while the write waits: with the whole wait inside SQLite, not one tick could run.
    await waitUntil(() => turns >= 20, { timeoutMs: 5000, message: 'the event loop turned 20 times while the write waited' });
    other.exec('COMMIT');
    await write;
    clearInterval(ticker);
    expect(await store.counts('alice')).toMatchObject({ total: 1 });
  });

  // root writes through file modes, so this one only runs as an ordinary user (as in production).
  it.skipIf(process.getuid?.() === 0)('rejects writes to a read-only database with StoreUnavailableError', async () => {
    const path = freshPath();
    await (await SqliteStore.open({ path, messagesCapRows: 10 })).close();
    chmodSync(path, 0o444);
    chmodSync(dirname(path), 0o555);
    cleanups.push(() => chmodSync(dirname(path), 0o755));

    const write = async () => (await open(path)).insertMessages([message()]);

    await expect(write()).rejects.toBeInstanceOf(StoreUnavailableError);
  });

  it('rejects open with StoreUnavailableError when the file cannot be created', async () => {
    const notADirectory = join(root, `${randomUUID()}.txt`);
    writeFileSync(notADirectory, 'a file where a directory should be');

    await expect(SqliteStore.open({ path: join(notADirectory, 'notify.db'), messagesCapRows: 10 })).rejects.toBeInstanceOf(StoreUnavailableError);
    await expect(SqliteStore.open({ path: root, messagesCapRows: 10 })).rejects.toBeInstanceOf(StoreUnavailableError);
  });

  it('rejects calls after close with StoreUnavailableError', async () => {
    const store = await open();
    await store.close();

    await expect(store.insertMessages([message()])).rejects.toBeInstanceOf(StoreUnavailableError);
    await expect(store.ping()).rejects.toBeInstanceOf(StoreUnavailableError);
  });

  it('refuses a cap below one message', async () => {
    await expect(SqliteStore.open({ path: freshPath(), messagesCapRows: 0 })).rejects.toThrow(RangeError);
  });
});
