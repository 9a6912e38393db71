import {
  MongoBulkWriteError,
  MongoClientClosedError,
  MongoError,
  MongoErrorLabel,
  MongoNetworkError,
  MongoNotConnectedError,
  MongoOperationTimeoutError,
  MongoServerClosedError,
  MongoServerError,
  MongoServerSelectionError,
  MongoTopologyClosedError,
} from 'mongodb';
import { StoreUnavailableError } from '../store-errors.js';

/** E11000: a document with this `_id` is already stored. */
export const DUPLICATE_KEY = 11000;

/**
 * Server error codes that say "not now" rather than "never": no primary, shutting down, step-down,
 * network trouble seen by the server, time limits, disk full. The same request may succeed later.
 */
const UNAVAILABLE_CODES: ReadonlySet<number> = new Set([
  6, // HostUnreachable
  7, // HostNotFound
  50, // MaxTimeMSExpired
  64, // WriteConcernTimeout (WriteConcernFailed before 8.1)
  89, // NetworkTimeout
  91, // ShutdownInProgress
  189, // PrimarySteppedDown
  262, // ExceededTimeLimit
  9001, // SocketException
  10058, // LegacyNotPrimary
  10107, // NotWritablePrimary
  11600, // InterruptedAtShutdown
  11602, // InterruptedDueToReplStateChange
  13435, // NotPrimaryNoSecondaryOk
  13436, // NotPrimaryOrSecondary
  14031, // OutOfDiskSpace
]);

/** Driver errors without an exported class, recognised by name. */
const UNAVAILABLE_NAMES: ReadonlySet<string> = new Set(['MongoWaitQueueTimeoutError', 'MongoPoolClosedError']);

/** Whether a driver error means MongoDB cannot be reached or cannot serve right now. */
export function isUnavailableError(error: unknown): boolean {
  if (
    error instanceof MongoServerSelectionError || // no server answered within serverSelectionTimeoutMS
    error instanceof MongoNetworkError || // includes MongoNetworkTimeoutError (socketTimeoutMS) and a cleared pool
    error instanceof MongoOperationTimeoutError ||
    error instanceof MongoTopologyClosedError ||
    error instanceof MongoClientClosedError ||
    error instanceof MongoServerClosedError ||
    error instanceof MongoNotConnectedError
  ) {
    return true;
  }
  if (!(error instanceof MongoError)) return false;
  if (UNAVAILABLE_NAMES.has(error.name)) return true;
  if (error.hasErrorLabel(MongoErrorLabel.RetryableWriteError) || error.hasErrorLabel(MongoErrorLabel.SystemOverloadedError)) {
    return true;
  }
  return typeof error.code === 'number' && UNAVAILABLE_CODES.has(error.code);
}

/**
 * The error a store method throws for a driver error: {@link StoreUnavailableError} (with the
 * driver error as `cause`) when MongoDB is unreachable or busy, otherwise the error unchanged.
 */
export function mapMongoError(error: unknown, action: string): unknown {
  if (!isUnavailableError(error)) return error;
  const reason = error instanceof Error ? error.message : String(error);
  return new StoreUnavailableError(`MongoDB ${action} failed: ${reason}`, { cause: error });
}

/**
 * Whether an insert failed only because some `_id`s were already stored, which is what a retried
 * job looks like: the other documents of an unordered insert were written, so nothing is lost.
 */
export function isDuplicateKeyOnly(error: unknown): boolean {
  if (error instanceof MongoBulkWriteError) {
    const writeErrors = Array.isArray(error.writeErrors) ? error.writeErrors : [error.writeErrors];
    // A write concern error means even the non-duplicate writes may not be durable: not ignorable.
    const writeConcernError = error.result?.getWriteConcernError?.();
    return writeErrors.length > 0 && writeErrors.every((e) => e?.code === DUPLICATE_KEY) && !writeConcernError;
  }
  return error instanceof MongoServerError && error.code === DUPLICATE_KEY;
}
