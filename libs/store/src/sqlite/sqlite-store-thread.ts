/**
 * The worker thread of a {@link SqliteThreadStore}: opens the SQLite store with the options in
 * `workerData` and answers the main thread's calls one message at a time.
 */
import { parentPort, workerData } from 'node:worker_threads';
import type { NotificationStore } from '../notification-store.js';
import { SqliteStore, type SqliteStoreOptions } from './sqlite-store.js';
import { OPENED_ID, toThreadError, type StoreAnswer, type StoreCall } from './sqlite-thread-protocol.js';

const port = parentPort;
if (!port) throw new Error('sqlite-store-thread runs as a worker thread of SqliteThreadStore');
const answer = (message: StoreAnswer) => port.postMessage(message);

try {
  const store = await SqliteStore.open(workerData as SqliteStoreOptions);
  port.on('message', ({ id, method, args }: StoreCall) => {
    // Each method takes the arguments the main thread's typed wrapper passed for it.
    const call = store[method] as (...callArgs: unknown[]) => Promise<unknown>;
    call.apply<NotificationStore, unknown[], Promise<unknown>>(store, args).then(
      (result) => answer({ id, result }),
      (error: unknown) => answer({ id, error: toThreadError(error) }),
    );
  });
  answer({ id: OPENED_ID, result: null });
} catch (error) {
  answer({ id: OPENED_ID, error: toThreadError(error) });
}
