import type { CollectionInfo } from 'mongodb';
import { describe, expect, it } from 'vitest';
import { StoreMismatchError } from '../store-errors.js';
import { verifyMessagesCollection } from './verify-messages-collection.js';

const GiB = 1024 ** 3;
const capped = (options: Record<string, unknown>): CollectionInfo => ({
  name: 'messages',
  type: 'collection',
  options: { capped: true, ...options },
});
const plain: CollectionInfo = { name: 'messages', type: 'collection', options: {} };

/** The StoreMismatchError `verify` throws; fails the test when it does not throw one. */
function mismatch(verify: () => unknown): StoreMismatchError {
  try {
    verify();
  } catch (error) {
    expect(error).toBeInstanceOf(StoreMismatchError);
    const { message } = error as StoreMismatchError;
    expect(message).not.toContain('\n');
    return error as StoreMismatchError;
  }
  throw new Error('expected a StoreMismatchError');
}

describe('verifyMessagesCollection', () => {
  it('creates the collection when there is none, for either retention', () => {
    expect(verifyMessagesCollection(undefined, { kind: 'capped', capBytes: GiB })).toBe('create');
    expect(verifyMessagesCollection(undefined, { kind: 'ttl', ttlDays: 90 })).toBe('create');
  });

  it('accepts a capped collection of the asked size and document limit', () => {
    expect(verifyMessagesCollection(capped({ size: GiB }), { kind: 'capped', capBytes: GiB })).toBe('ok');
    expect(verifyMessagesCollection(capped({ size: GiB, max: 500 }), { kind: 'capped', capBytes: GiB, capDocs: 500 })).toBe('ok');
  });

  it('accepts a size that an older server rounded up to a multiple of 256 bytes', () => {
    expect(verifyMessagesCollection(capped({ size: 1_000_192 }), { kind: 'capped', capBytes: 1_000_000 })).toBe('ok');
  });

  it('reads a reported max of 0 as "no document limit"', () => {
    expect(verifyMessagesCollection(capped({ size: GiB, max: 0 }), { kind: 'capped', capBytes: GiB })).toBe('ok');
  });

  it('accepts a normal collection for ttl retention', () => {
    expect(verifyMessagesCollection(plain, { kind: 'ttl', ttlDays: 30 })).toBe('ok');
  });

  it('refuses ttl on a capped collection, naming its size and how to keep it', () => {
    const error = mismatch(() => verifyMessagesCollection(capped({ size: GiB }), { kind: 'ttl', ttlDays: 90 }));
    expect(error.message).toBe(
      'messages collection is capped (1073741824 bytes, no document limit) but RETENTION=ttl was asked; a capped ' +
        'collection cannot take a TTL index: keep RETENTION=capped (MESSAGES_CAP_BYTES=1073741824, MESSAGES_CAP_DOCS unset) ' +
        'or point MONGO_DB at a new database and move the messages',
    );
  });

  it('refuses capped retention on a normal collection', () => {
    const error = mismatch(() => verifyMessagesCollection(plain, { kind: 'capped', capBytes: GiB }));
    expect(error.message).toMatch(/^messages collection is not capped but RETENTION=capped was asked/);
    expect(error.message).toContain('RETENTION=ttl');
  });

  it('refuses a different cap size, saying both sizes and the collMod that would resize it', () => {
    const error = mismatch(() => verifyMessagesCollection(capped({ size: GiB }), { kind: 'capped', capBytes: 2 * GiB }));
    expect(error.message).toBe(
      'messages collection is capped (1073741824 bytes, no document limit) but the configuration asks for ' +
        '2147483648 bytes, no document limit; set MESSAGES_CAP_BYTES=1073741824, MESSAGES_CAP_DOCS unset to keep it, ' +
        'or resize it with db.runCommand({"collMod":"messages","cappedSize":2147483648,"cappedMax":0}) (MongoDB 6.0+)',
    );
  });

  it('refuses a different document limit, a new one, or a removed one', () => {
    const differentMax = mismatch(() =>
      verifyMessagesCollection(capped({ size: GiB, max: 500 }), { kind: 'capped', capBytes: GiB, capDocs: 800 }),
    );
    expect(differentMax.message).toContain('capped (1073741824 bytes, max 500 documents) but the configuration asks for 1073741824 bytes, max 800 documents');
    expect(differentMax.message).toContain('"cappedMax":800');

    const newMax = mismatch(() => verifyMessagesCollection(capped({ size: GiB }), { kind: 'capped', capBytes: GiB, capDocs: 800 }));
    expect(newMax.message).toContain('no document limit) but the configuration asks for 1073741824 bytes, max 800 documents');

    const removedMax = mismatch(() => verifyMessagesCollection(capped({ size: GiB, max: 500 }), { kind: 'capped', capBytes: GiB }));
    expect(removedMax.message).toContain('set MESSAGES_CAP_BYTES=1073741824, MESSAGES_CAP_DOCS=500 to keep it');
  });

  it('refuses a view or time series named messages', () => {
    const error = mismatch(() =>
      verifyMessagesCollection({ name: 'messages', type: 'view', options: {} }, { kind: 'capped', capBytes: GiB }),
    );
    expect(error.message).toMatch(/^messages is a view, not a collection/);
  });
});
