import { randomFillSync } from 'node:crypto';
import { decodeTime, encodeTime, monotonicFactory } from 'ulid';
import { z } from 'zod';

/**
 * A record id: a ULID (26 characters, Crockford base32), so ids sort by the time the api
 * accepted the record. It is the store's primary key, and the BullMQ job id of a job that carries
 * this record alone (a `batch` job carries several).
 */
export const RecordId = z.string().regex(/^[0-9A-HJKMNP-TV-Z]{26}$/, 'must be a record id (26-character ULID)');
export type RecordId = z.infer<typeof RecordId>;

const POOL_SIZE = 1024;
const pool = new Uint32Array(POOL_SIZE);
let next = POOL_SIZE;

/**
 * Cryptographic randomness drawn 4 KiB at a time: ulid's default source asks the OS once per
 * character, which was 5% of the api's CPU at load (`npm run bench -- --profile`).
 */
function pooledRandom(): number {
  if (next === POOL_SIZE) {
    randomFillSync(pool);
    next = 0;
  }
  return (pool[next++] as number) / 0x1_0000_0000;
}

const nextUlid = monotonicFactory(pooledRandom);

/** A new time-sortable record id; strictly increasing within this process. */
export function newRecordId(now: number = Date.now()): RecordId {
  return nextUlid(now);
}

/**
 * When the api accepted a record, in ms since the epoch: the time part of its id. Derived from the
 * id, not a clock, so a retry computes the same value. Undefined for a string that is not a ULID
 * (a job added by hand, say).
 */
export function recordIdTime(id: string): number | undefined {
  try {
    return decodeTime(id);
  } catch {
    return undefined;
  }
}

const RANDOM_CHARS = 16;
const CROCKFORD = '0123456789ABCDEFGHJKMNPQRSTVWXYZ';

/**
 * `count` new record ids of one moment, consecutive (the random part of each is the one before
 * plus 1): {@link recordIdRun} of the first and `count` gives them all again, so one id is all an
 * idempotency key needs to keep of a many-receiver send.
 */
export function newRecordIds(count: number, now: number = Date.now()): RecordId[] {
  // The monotonic factory increments the last id for a time it has already used: a consecutive run,
  // and the next id it makes (for any request) comes after the run.
  return Array.from({ length: count }, () => nextUlid(now));
}

/**
 * The `count` consecutive record ids that start at `first`: the same time, the random part counting
 * up (modulo 2^80, which a run of {@link newRecordIds} never reaches: the factory would throw first).
 * Counted in base 32 digit by digit, as the factory does, so a run of 1,000 costs microseconds.
 */
export function recordIdRun(first: RecordId, count: number): RecordId[] {
  const time = first.slice(0, 26 - RANDOM_CHARS);
  const digits = [...first.slice(-RANDOM_CHARS)].map((char) => CROCKFORD.indexOf(char));
  const ids: RecordId[] = [];
  for (let n = 0; n < count; n += 1) {
    if (n > 0) {
      // Plus one, carrying into the digits before; all 31s wrap round to all 0s.
      for (let i = RANDOM_CHARS - 1; i >= 0; i -= 1) {
        const digit = digits[i] as number;
        if (digit < 31) {
          digits[i] = digit + 1;
          break;
        }
        digits[i] = 0;
      }
    }
    let text = time;
    for (const digit of digits) text += CROCKFORD[digit];
    ids.push(text);
  }
  return ids;
}

/** The lowest record id of millisecond `ms`: every id made at `ms` or later sorts at or after it. */
export function firstRecordIdAt(ms: number): RecordId {
  return `${encodeTime(ms, 10)}${'0'.repeat(16)}`;
}
