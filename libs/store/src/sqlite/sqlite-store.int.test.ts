import { randomUUID } from 'node:crypto';
import { chmodSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import Database from 'better-sqlite3';
import { afterAll, afterEach, describe, expect, it } from 'vitest';
import { NO_UNREAD, newRecordId } from '@notify/contracts';
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

  it('answers every list, count and read-marking from an index, never a full table scan', async () => {
    const path = freshPath();
    await open(path);
    const db = rawConnection(path);
    const before = newRecordId();
    const expected: [SqlQuery, RegExp][] = [
      ...[{}, { unread: true }, { unread: true, typeID: 2 as const }, { unread: false, companyID: 'c1' }, { before }, { unread: true, after: before }].map(
        (filters): [SqlQuery, RegExp] => [sqliteQueries.listMessages({ receiverID: 'alice', limit: 20, ...filters }), /messages_receiver_read_type_id/],
      ),
      [sqliteQueries.unreadCount('alice'), /PRIMARY KEY/],
      [sqliteQueries.unreadCount('alice', 'c1'), /PRIMARY KEY/],
      [sqliteQueries.markRead('alice', { ids: [before] }, READ_AT), /sqlite_autoindex_messages_1/],
      [sqliteQueries.markRead('alice', { typeID: 1 }, READ_AT), /messages_receiver_read_type_id/],
      [sqliteQueries.markRead('alice', { all: true }, READ_AT), /messages_receiver_read_type_id/],
      [sqliteQueries.listCompanyDynamics({ companyID: 'c1', limit: 20 }), /dynamics_company_id/],
      [sqliteQueries.listCompanyDynamics({ companyID: 'c1', limit: 20, before }), /dynamics_company_id/],
      [sqliteQueries.listObjectLogs({ objectType: 'task', objectID: '1', limit: 20 }), /dynamics_object_id/],
      [sqliteQueries.listObjectLogs({ objectType: 'task', objectID: '1', companyID: 'c1', limit: 20, before }), /dynamics_object_id/],
    ];

    for (const [{ sql, params }, index] of expected) {
      const plan = (db.prepare(`EXPLAIN QUERY PLAN ${sql}`).all(...params) as { detail: string }[]).map((step) => step.detail).join('\n');
      expect(plan, sql).toMatch(new RegExp(`SEARCH (messages|dynamics|unread_counts) USING (COVERING )?(INDEX )?(${index.source}) `));
      expect(plan, sql).not.toMatch(/SCAN (messages|dynamics|unread_counts)\b/);
    }
  });

  it('counts unread from a table the triggers keep exact, and fills it for a database made before it existed', async () => {
    const path = freshPath();
    const store = await open(path, { messagesCapRows: 4 });
    const [first, second, third] = [message({ typeID: 1 }), message({ typeID: 2 }), message({ typeID: 2 })];
    await store.insertMessages([first, second, third, second]);
    await store.markRead('alice', { ids: [second.id] }, READ_AT);
    await store.insertMessages([message({ typeID: 3 }), message({ typeID: 3 })]); // the cap drops `first` (unread)
    const expected = { total: 3, byType: { '1': 0, '2': 1, '3': 2 } };
    expect(await store.unreadCount('alice')).toEqual(expected);
    await store.close();

    // An older database: no counts table, no triggers. Opening it fills the table from the messages.
    const db = rawConnection(path);
    db.exec('DROP TRIGGER unread_counts_on_insert; DROP TRIGGER unread_counts_on_read; DROP TRIGGER unread_counts_on_delete; DROP TABLE unread_counts;');
    db.close();
    const reopened = await open(path, { messagesCapRows: 4 });
    expect(await reopened.unreadCount('alice')).toEqual(expected);
    await reopened.insertMessages([message({ typeID: 1 })]);
    expect(await reopened.unreadCount('alice')).toMatchObject({ total: 4 });
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
    expect(await api.markRead('alice', { all: true }, READ_AT)).toBe(5);
    expect(await worker.unreadCount('alice')).toEqual(NO_UNREAD);
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
    expect(await store.unreadCount('alice')).toMatchObject({ total: 1 });
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
