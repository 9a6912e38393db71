import { Worker } from 'node:worker_threads';
import type { NotificationStore } from '../notification-store.js';
import { StoreUnavailableError } from '../store-errors.js';
import type { SqliteStoreOptions } from './sqlite-store.js';
import { OPENED_ID, type StoreAnswer, type StoreMethod, type ThreadError } from './sqlite-thread-protocol.js';

/**
 * The thread's built script. The same relative path works from `dist/sqlite/` (the apps) and from
 * `src/sqlite/` (tests, which import the TypeScript sources; `npm test` builds first): a thread
 * cannot run TypeScript.
 */
const THREAD_SCRIPT = new URL('../../dist/sqlite/sqlite-store-thread.js', import.meta.url);

/** An error as its thread threw it: the store's own class where it was one, with the cause's code. */
function fromThreadError({ name, message, causeCode }: ThreadError): Error {
  if (name === 'StoreUnavailableError') return new StoreUnavailableError(message, causeCode ? { cause: { code: causeCode } } : undefined);
  const error = name === 'RangeError' ? new RangeError(message) : new Error(message);
  error.name = name;
  return error;
}

type Pending = { resolve: (value: unknown) => void; reject: (error: Error) => void };

/**
 * The {@link SqliteStore} on a worker thread of its own, for processes whose event loop serves
 * sockets or requests: better-sqlite3 is synchronous, so in-process every query, every write and
 * every wait for another process's write lock holds up everything else the process does. Here
 * the calls queue on the thread and the caller's event loop only posts and receives messages.
 * Same options, same behaviour, same errors ({@link StoreUnavailableError} with the SQLite code
 * as its cause's `code`). If the thread ever dies, every call from then on fails as unavailable
 * (the process's readiness check, `ping`, says so) until the process restarts.
 */
export class SqliteThreadStore implements NotificationStore {
  private readonly pending = new Map<number, Pending>();
  private nextId = OPENED_ID + 1;
  /** Why calls fail at once: the store was closed, or the thread died. */
  private ended: string | undefined;

  private constructor(private readonly thread: Worker) {
    thread.on('message', (answer: StoreAnswer) => this.settle(answer));
    thread.on('error', (error) => this.end(`the SQLite store thread failed: ${error.message}`));
    thread.on('exit', (code) => this.end(`the SQLite store thread exited (code ${code})`));
  }

  /** Starts the thread and opens the store on it; rejects as {@link SqliteStore.open} would. */
  static open(options: SqliteStoreOptions): Promise<SqliteThreadStore> {
    const thread = new Worker(THREAD_SCRIPT, { workerData: options });
    // Like the in-process store, it never keeps the process alive by itself.
    thread.unref();
    return new Promise((resolve, reject) => {
      const onExit = (code: number) => reject(new StoreUnavailableError(`the SQLite store thread exited (code ${code}) while opening`));
      const onError = (error: Error) => reject(new StoreUnavailableError(`the SQLite store thread failed while opening: ${error.message}`, { cause: error }));
      thread.once('exit', onExit);
      thread.once('error', onError);
      thread.once('message', (answer: StoreAnswer) => {
        thread.off('exit', onExit);
        thread.off('error', onError);
        if ('error' in answer) {
          void thread.terminate();
          reject(fromThreadError(answer.error));
        } else {
          resolve(new SqliteThreadStore(thread));
        }
      });
    });
  }

  insertMessages(...args: Parameters<NotificationStore['insertMessages']>) {
    return this.call('insertMessages', args);
  }
  insertDynamics(...args: Parameters<NotificationStore['insertDynamics']>) {
    return this.call('insertDynamics', args);
  }
  listMessages(...args: Parameters<NotificationStore['listMessages']>) {
    return this.call('listMessages', args);
  }
  counts(...args: Parameters<NotificationStore['counts']>) {
    return this.call('counts', args);
  }
  changeMessages(...args: Parameters<NotificationStore['changeMessages']>) {
    return this.call('changeMessages', args);
  }
  listCompanyDynamics(...args: Parameters<NotificationStore['listCompanyDynamics']>) {
    return this.call('listCompanyDynamics', args);
  }
  listObjectLogs(...args: Parameters<NotificationStore['listObjectLogs']>) {
    return this.call('listObjectLogs', args);
  }
  ping() {
    return this.call('ping', []);
  }

  async close(): Promise<void> {
    if (this.ended) return;
    try {
      await this.call('close', []);
    } finally {
      this.end('the SQLite store is closed');
      await this.thread.terminate();
    }
  }

  /** Sends one call to the thread; resolves with what the store's method resolved with there. */
  private call<M extends StoreMethod>(method: M, args: unknown[]): ReturnType<NotificationStore[M]> {
    const answered = new Promise<unknown>((resolve, reject) => {
      if (this.ended) {
        reject(new StoreUnavailableError(this.ended));
        return;
      }
      const id = this.nextId++;
      this.pending.set(id, { resolve, reject });
      this.thread.postMessage({ id, method, args });
    });
    // The thread answers with what exactly this method of the store resolved with.
    return answered as ReturnType<NotificationStore[M]>;
  }

  private settle(answer: StoreAnswer): void {
    const pending = this.pending.get(answer.id);
    if (!pending) return;
    this.pending.delete(answer.id);
    if ('error' in answer) pending.reject(fromThreadError(answer.error));
    else pending.resolve(answer.result);
  }

  /** From now on every call fails with `reason`; calls still waiting fail with it now. */
  private end(reason: string): void {
    this.ended ??= reason;
    for (const { reject } of this.pending.values()) reject(new StoreUnavailableError(this.ended));
    this.pending.clear();
  }
}
