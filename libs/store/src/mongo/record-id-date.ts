import type { RecordId } from '@notify/contracts';

const CROCKFORD = '0123456789ABCDEFGHJKMNPQRSTVWXYZ';
const TIME_CHARS = 10;

/**
 * When the api accepted a record: the millisecond timestamp in the first 10 characters of its
 * ULID. Derived from the id (not the clock) so a retried insert computes the same value.
 */
export function recordIdDate(id: RecordId): Date {
  let millis = 0;
  for (const char of id.slice(0, TIME_CHARS)) {
    const digit = CROCKFORD.indexOf(char);
    if (digit < 0) throw new RangeError(`not a record id: ${id}`);
    millis = millis * 32 + digit;
  }
  return new Date(millis);
}
