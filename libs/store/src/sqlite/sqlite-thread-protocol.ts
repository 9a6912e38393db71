import type { NotificationStore } from '../notification-store.js';

/** The store's methods, every one of which a `SqliteThreadStore` forwards to its thread. */
export type StoreMethod = keyof NotificationStore;

/** Main thread → store thread: one call. */
export interface StoreCall {
  id: number;
  method: StoreMethod;
  args: unknown[];
}

/** What crosses back for an error: its class by name, and the SQLite or file-system code of its cause. */
export interface ThreadError {
  name: string;
  message: string;
  causeCode?: string;
}

/** Store thread → main thread: the answer to call `id`, or (id 0) whether the store opened. */
export type StoreAnswer = { id: number; result: unknown } | { id: number; error: ThreadError };

/** The id of the answer that says whether the thread opened its store. */
export const OPENED_ID = 0;

/** `error` as it can cross to the other thread: structured clone keeps neither its class nor its cause. */
export function toThreadError(error: unknown): ThreadError {
  if (!(error instanceof Error)) return { name: 'Error', message: String(error) };
  const cause = error.cause as { code?: unknown } | undefined;
  return { name: error.name, message: error.message, ...(typeof cause?.code === 'string' ? { causeCode: cause.code } : {}) };
}
