import { randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Worker } from 'node:worker_threads';
import Database from 'better-sqlite3';
import { afterAll, afterEach, describe, expect, it } from 'vitest';
import { runStoreContract } from '../../test/store-contract.js';
import { testMessage } from '../../test/test-records.js';
import { createStore } from '../create-store.js';
import { StoreUnavailableError } from '../store-errors.js';
import type { SqliteStoreOptions } from './sqlite-store.js';
import { SqliteThreadStore } from './sqlite-thread-store.js';

const root = mkdtempSync(join(tmpdir(), 'notify-sqlite-thread-'));
const freshPath = () => join(root, randomUUID(), 'notify.db');

afterAll(() => rmSync(root, { recursive: true, force: true }));

runStoreContract('sqlite on a worker thread', ({ messagesCapDocs }) => SqliteThreadStore.open({ path: freshPath(), messagesCapRows: messagesCapDocs }));

describe('SqliteThreadStore', () => {
  const cleanups: (() => unknown)[] = [];
  afterEach(async () => {
    for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
  });

  const open = async (path = freshPath(), options: Partial<SqliteStoreOptions> = {}) => {
    const store = await SqliteThreadStore.open({ path, messagesCapRows: 1000, ...options });
    cleanups.push(() => store.close());
    return store;
  };

  it('is what createStore opens for SQLite when asked to keep it off the event loop, and only then', async () => {
    const offLoop = await createStore({ kind: 'sqlite', path: freshPath(), messagesCapRows: 10 }, { offEventLoop: true });
    const inProcess = await createStore({ kind: 'sqlite', path: freshPath(), messagesCapRows: 10 });
    cleanups.push(() => offLoop.close(), () => inProcess.close());

    expect(offLoop).toBeInstanceOf(SqliteThreadStore);
    expect(inProcess).not.toBeInstanceOf(SqliteThreadStore);
  });

  it('shares the file with an in-process connection, as the worker process does', async () => {
    const path = freshPath();
    const gateway = await open(path);
    const worker = await createStore({ kind: 'sqlite', path, messagesCapRows: 1000 });
    cleanups.push(() => worker.close());

    const [stored] = await worker.insertMessages([testMessage()]);
    expect(await gateway.changeMessages('alice', 'read', { all: true }, '2026-03-05T10:00:00.000Z')).toEqual([stored?.id]);
    expect(await worker.counts('alice')).toMatchObject({ total: 0 });
  });

  it('hands back the store\'s errors as the same classes, with the SQLite code of their cause', async () => {
    const path = freshPath();
    const store = await open(path, { busyTimeoutMs: 50 });
    const other = new Database(path);
    cleanups.push(() => other.close());
    other.exec('BEGIN IMMEDIATE');

    const error: unknown = await store.insertMessages([testMessage()]).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(StoreUnavailableError);
    expect((error as Error).message).toMatch(/^SQLite store unavailable \(SQLITE_BUSY\)/);
    expect((error as Error).cause).toMatchObject({ code: 'SQLITE_BUSY' });

    other.exec('ROLLBACK');
    await store.insertMessages([testMessage()]);
    expect(await store.counts('alice')).toMatchObject({ total: 1 });
  });

  it('rejects open as the in-process store does: unavailable file, cap below one', async () => {
    const notADirectory = join(root, `${randomUUID()}.txt`);
    writeFileSync(notADirectory, 'a file where a directory should be');

    await expect(SqliteThreadStore.open({ path: join(notADirectory, 'notify.db'), messagesCapRows: 10 })).rejects.toBeInstanceOf(StoreUnavailableError);
    await expect(SqliteThreadStore.open({ path: freshPath(), messagesCapRows: 0 })).rejects.toThrow(RangeError);
  });

  it('rejects calls after close with StoreUnavailableError, and closing twice is fine', async () => {
    const store = await open();
    await store.close();
    await store.close();

    await expect(store.insertMessages([testMessage()])).rejects.toBeInstanceOf(StoreUnavailableError);
    await expect(store.ping()).rejects.toBeInstanceOf(StoreUnavailableError);
  });

  it('answers every call, the waiting ones too, with StoreUnavailableError once its thread has died', async () => {
    const path = freshPath();
    const store = await open(path, { busyTimeoutMs: 60_000 });
    // Another process holds the write lock, so the thread is still trying this write when it dies.
    const other = new Database(path);
    cleanups.push(() => other.close());
    other.exec('BEGIN IMMEDIATE');
    const waiting = store.changeMessages('alice', 'read', { all: true }, '2026-03-05T10:00:00.000Z');
    // The thread is private: a thread dying is what this checks, so it reaches in to end it.
    await (store as unknown as { thread: Worker }).thread.terminate();

    await expect(waiting).rejects.toBeInstanceOf(StoreUnavailableError);
    await expect(store.ping()).rejects.toThrow(/the SQLite store thread exited/);
  });
});
