import { firstRecordIdAt, NEW_MESSAGE_STATE, newRecordId, type Dynamic, type Message } from '@notify/contracts';

/** The `date` of every record made here (with milliseconds, which a store must keep). */
export const TEST_DATE = '2026-03-04T05:06:07.089Z';

/** An unread message to `alice` of company `c1` with a fresh id; `fields` override. For the store's tests. */
export function testMessage(fields: Partial<Message> = {}): Message {
  return { id: newRecordId(), companyID: 'c1', receiverID: 'alice', typeID: 1, title: 'Hello', content: 'Body', date: TEST_DATE, ...NEW_MESSAGE_STATE, ...fields };
}

/** `count` messages with increasing ids, oldest first, titled `m0`, `m1`, …. */
export function testMessages(count: number, fields: Partial<Message> = {}): Message[] {
  return Array.from({ length: count }, (_, i) => testMessage({ title: `m${i}`, ...fields }));
}

const HOUR_MS = 3_600_000;

/**
 * Messages accepted in consecutive hours, oldest first: `perHour[0]` of them accepted
 * `perHour.length - 1` hours ago, …, the last `perHour.at(-1)` now (ids of those moments, a
 * millisecond apart, increasing, in as many different hours). For retention, which drops whole hours and parts of one.
 */
export function testMessagesAcrossHours(perHour: readonly number[]): Message[] {
  const now = Date.now();
  // Not newRecordId(): its monotonic factory never goes back to an earlier time. One id per millisecond.
  return perHour.flatMap((count, hour) =>
    Array.from({ length: count }, (_, i) => testMessage({ id: firstRecordIdAt(now - (perHour.length - 1 - hour) * HOUR_MS - (count - i)), title: `h${hour}m${i}` })),
  );
}

/** A dynamic of company `c1` with a fresh id; `fields` override. */
export function testDynamic(fields: Partial<Dynamic> = {}): Dynamic {
  return { id: newRecordId(), companyID: 'c1', operatorID: 'op1', operator: 'Olga', title: 'Created a task', content: 'Task #1', date: TEST_DATE, ...fields };
}
