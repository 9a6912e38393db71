import {
  MongoBulkWriteError,
  MongoClientClosedError,
  MongoNetworkError,
  MongoNetworkTimeoutError,
  MongoParseError,
  MongoServerError,
  MongoServerSelectionError,
  MongoTopologyClosedError,
  MongoWriteConcernError,
} from 'mongodb';
import type { BulkWriteResult, TopologyDescription } from 'mongodb';
import { describe, expect, it } from 'vitest';
import { StoreUnavailableError } from '../store-errors.js';
import { DUPLICATE_KEY, isDuplicateKeyOnly, isUnavailableError, mapMongoError } from './mongo-error-mapping.js';

// The driver builds these itself; tests only need what the mapping reads (class, code, labels).
const noTopology = {} as TopologyDescription;
const serverError = (code: number, errorLabels: string[] = []) => new MongoServerError({ message: `code ${code}`, code, errorLabels });
const bulkError = (codes: number[], writeConcernError?: object) =>
  new MongoBulkWriteError(
    { message: 'bulk write failed', code: codes[0] ?? 0, writeErrors: codes.map((code, index) => ({ code, index, errmsg: `E${code}` })) as never },
    { getWriteConcernError: () => writeConcernError } as unknown as BulkWriteResult,
  );

describe('isUnavailableError', () => {
  it.each([
    ['no server selected within serverSelectionTimeoutMS', new MongoServerSelectionError('Server selection timed out', noTopology)],
    ['a network error', new MongoNetworkError('connection reset')],
    ['a socket timeout', new MongoNetworkTimeoutError('connection timed out')],
    ['a closed client', new MongoTopologyClosedError()],
    ['a client closed while the operation waited', new MongoClientClosedError()],
    ['NotWritablePrimary', serverError(10107)],
    ['PrimarySteppedDown', serverError(189)],
    ['ShutdownInProgress', serverError(91)],
    ['InterruptedDueToReplStateChange', serverError(11602)],
    ['MaxTimeMSExpired', serverError(50)],
    ['ExceededTimeLimit', serverError(262)],
    ['OutOfDiskSpace', serverError(14031)],
    ['a write concern timeout', new MongoWriteConcernError({ ok: 1, writeConcernError: { code: 64, errmsg: 'waiting for replication timed out' } })],
    ['any error labelled RetryableWriteError', serverError(1, ['RetryableWriteError'])],
  ])('is true for %s', (_name, error) => {
    expect(isUnavailableError(error)).toBe(true);
  });

  it.each([
    ['a duplicate key', serverError(DUPLICATE_KEY)],
    ['a validation failure', serverError(121)],
    ['an unauthorized command', serverError(13)],
    ['a bad connection string', new MongoParseError('Invalid scheme')],
    ['a plain Error', new Error('boom')],
    ['a non-error', 'boom'],
  ])('is false for %s', (_name, error) => {
    expect(isUnavailableError(error)).toBe(false);
  });
});

describe('mapMongoError', () => {
  it('turns an unreachable server into StoreUnavailableError naming the action, with the driver error as cause', () => {
    const cause = new MongoServerSelectionError('connect ECONNREFUSED 127.0.0.1:27017', noTopology);
    const mapped = mapMongoError(cause, 'listMessages');
    expect(mapped).toBeInstanceOf(StoreUnavailableError);
    expect((mapped as StoreUnavailableError).message).toBe('MongoDB listMessages failed: connect ECONNREFUSED 127.0.0.1:27017');
    expect((mapped as StoreUnavailableError).code).toBe('store_unavailable');
    expect((mapped as StoreUnavailableError).cause).toBe(cause);
  });

  it('returns other errors unchanged', () => {
    const error = serverError(121);
    expect(mapMongoError(error, 'insertMessages')).toBe(error);
  });
});

describe('isDuplicateKeyOnly', () => {
  it('is true when every write error of an unordered insert is a duplicate _id', () => {
    expect(isDuplicateKeyOnly(bulkError([DUPLICATE_KEY]))).toBe(true);
    expect(isDuplicateKeyOnly(bulkError([DUPLICATE_KEY, DUPLICATE_KEY]))).toBe(true);
    expect(isDuplicateKeyOnly(serverError(DUPLICATE_KEY))).toBe(true);
  });

  it('is false when any write error is something else, or the writes lacked their write concern', () => {
    expect(isDuplicateKeyOnly(bulkError([DUPLICATE_KEY, 121]))).toBe(false);
    expect(isDuplicateKeyOnly(bulkError([DUPLICATE_KEY], { code: 64, errmsg: 'timeout' }))).toBe(false);
    expect(isDuplicateKeyOnly(bulkError([]))).toBe(false);
  });

  it('is false for errors that are not about duplicates at all', () => {
    expect(isDuplicateKeyOnly(new MongoNetworkError('reset'))).toBe(false);
    expect(isDuplicateKeyOnly(serverError(10107))).toBe(false);
    expect(isDuplicateKeyOnly(new Error('E11000'))).toBe(false);
  });
});
