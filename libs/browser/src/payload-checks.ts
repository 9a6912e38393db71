import type { ApiErrorBody, Dynamic, InboxCounts, Message, Page } from '@notify/contracts';

// What comes from the socket is checked by hand before it reaches the state: a page cannot afford
// zod's weight, and a malformed payload must be dropped, never crash the inbox. Only what the
// library relies on is checked; the rest of a record is passed through as the gateway sent it.

const RECORD_ID = /^[0-9A-HJKMNP-TV-Z]{26}$/;

type Fields = Record<string, unknown>;
const isObject = (value: unknown): value is Fields => typeof value === 'object' && value !== null && !Array.isArray(value);
const isCount = (value: unknown): value is number => Number.isInteger(value) && (value as number) >= 0;
export const isRecordId = (value: unknown): value is string => typeof value === 'string' && RECORD_ID.test(value);

/** A message of `new_msg` or a list, without the `replayed` flag; undefined if it is not one. */
export function asMessage(value: unknown): Message | undefined {
  if (!isObject(value) || !isRecordId(value.id)) return undefined;
  if (value.typeID !== 1 && value.typeID !== 2 && value.typeID !== 3) return undefined;
  if (typeof value.title !== 'string' || typeof value.content !== 'string' || typeof value.date !== 'string') return undefined;
  const { replayed: _replayed, ...message } = value;
  // Gateways older than message states send only isRead.
  return Object.freeze({ ...message, isRead: value.isRead === true, isSeen: value.isSeen === true || value.isRead === true, isArchived: value.isArchived === true }) as Message;
}

export function asDynamic(value: unknown): Dynamic | undefined {
  if (!isObject(value) || !isRecordId(value.id)) return undefined;
  if (typeof value.title !== 'string' || typeof value.content !== 'string' || typeof value.operator !== 'string') return undefined;
  return Object.freeze({ ...value }) as Dynamic;
}

export function asCounts(value: unknown): InboxCounts | undefined {
  if (!isObject(value) || !isCount(value.total) || !isCount(value.version) || !isObject(value.byType)) return undefined;
  const { byType } = value;
  if (!isCount(byType['1']) || !isCount(byType['2']) || !isCount(byType['3'])) return undefined;
  const unseen = isCount(value.unseen) ? value.unseen : 0;
  return Object.freeze({ total: value.total, byType: Object.freeze({ '1': byType['1'], '2': byType['2'], '3': byType['3'] }), unseen, version: value.version });
}

/** The ids of a `msg_*` event (`{ids}`), or undefined. */
export function asIds(value: unknown): string[] | undefined {
  if (!isObject(value) || !Array.isArray(value.ids)) return undefined;
  return value.ids.filter(isRecordId);
}

/** A page of a list answer, its malformed items dropped; undefined if it is not a page. */
export function asPage<T>(value: unknown, item: (value: unknown) => T | undefined): Page<T> | undefined {
  if (!isObject(value) || !Array.isArray(value.items)) return undefined;
  const nextCursor = isRecordId(value.nextCursor) ? value.nextCursor : null;
  return { items: value.items.map(item).filter((found): found is T => found !== undefined), nextCursor };
}

/** A list of a `catch_up` answer: its items, or `'reload'` when the gateway says the range is too large. */
export function asCatchUpList<T>(value: unknown, item: (value: unknown) => T | undefined): T[] | 'reload' | undefined {
  if (!isObject(value)) return undefined;
  if (value.complete === false) return 'reload';
  return asPage({ items: value.items }, item)?.items;
}

/** The error of an error ack (`{error: {code, message, issues?}}`), or undefined when the ack is not one. */
export function asErrorAck(value: unknown): ApiErrorBody['error'] | undefined {
  if (!isObject(value) || !isObject(value.error)) return undefined;
  const { code, message, issues } = value.error;
  return {
    code: (typeof code === 'string' ? code : 'internal') as ApiErrorBody['error']['code'],
    message: typeof message === 'string' ? message : 'the gateway refused',
    ...(Array.isArray(issues) ? { issues: issues.filter(isObject).map((issue) => ({ path: String(issue.path), message: String(issue.message) })) } : {}),
  };
}

export { isObject, isCount };
