import { monotonicFactory } from 'ulid';
import { z } from 'zod';
/**
 * A record id: a ULID (26 characters, Crockford base32), so ids sort by the time the api
 * accepted the record. It is also the BullMQ job id and the store's primary key.
 */
export const RecordId = z.string().regex(/^[0-9A-HJKMNP-TV-Z]{26}$/, 'must be a record id (26-character ULID)');
const nextUlid = monotonicFactory();
/** A new time-sortable record id; strictly increasing within this process. */
export function newRecordId(now = Date.now()) {
    return nextUlid(now);
}
