import { createHash } from 'node:crypto';
import { BULK_RECORDS_MAX } from '@notify/contracts';
import type { SendBulkInput } from './client-inputs.js';

/** One `POST /v1/bulk` body of a split input, and how many of each array's records it carries. */
export interface BulkRequest {
  body: SendBulkInput;
  messages: number;
  dynamics: number;
}

/** `{"messages":[],"dynamics":[]}` and a comma per record: what a body adds to its records' JSON. */
const ENVELOPE_BYTES = 32;

/**
 * Splits `input` into bodies the api takes: at most {@link BULK_RECORDS_MAX} records and about
 * `maxBytes` of JSON each (its records' JSON measured in UTF-8 bytes), messages first, in order. A
 * record larger than `maxBytes` on its own gets a body of its own (and the api's 413).
 */
export function splitBulk(input: SendBulkInput, maxBytes: number): BulkRequest[] {
  const requests: BulkRequest[] = [];
  let current: BulkRequest | undefined;
  let bytes = 0;
  const add = (kind: 'messages' | 'dynamics', record: unknown) => {
    const size = Buffer.byteLength(JSON.stringify(record)) + 1;
    if (!current || current.messages + current.dynamics >= BULK_RECORDS_MAX || (bytes + size > maxBytes && bytes > ENVELOPE_BYTES)) {
      current = { body: {}, messages: 0, dynamics: 0 };
      requests.push(current);
      bytes = ENVELOPE_BYTES;
    }
    const list = (current.body[kind] ??= []) as unknown[];
    list.push(record);
    current[kind] += 1;
    bytes += size;
  };
  for (const message of input.messages ?? []) add('messages', message);
  for (const dynamic of input.dynamics ?? []) add('dynamics', dynamic);
  return requests;
}

/**
 * The `Idempotency-Key` of part `index` of a split send whose caller gave `key`: the key and the
 * part's number, or, when that would be longer than a key may be, a digest of the key and the
 * number. The same input split the same way gets the same keys, so a repeated call is recognised.
 */
export function partKey(key: string, index: number): string {
  const plain = `${key}.part${index}`;
  return plain.length <= 255 ? plain : `${createHash('sha256').update(key).digest('hex')}.part${index}`;
}
