import { StoreUnavailableError } from '../store-errors.js';

/** SQLite result codes (and their extended `_…` forms) that mean "the file cannot serve us now". */
const SQLITE_UNAVAILABLE = [
  'SQLITE_BUSY', 'SQLITE_LOCKED', 'SQLITE_READONLY', 'SQLITE_CANTOPEN', 'SQLITE_IOERR',
  'SQLITE_FULL', 'SQLITE_PROTOCOL', 'SQLITE_NOMEM', 'SQLITE_PERM', 'SQLITE_NOLFS',
];

/** Node file-system error codes of the same kind (creating the database's directory). */
const FS_UNAVAILABLE = new Set(['EACCES', 'EPERM', 'EROFS', 'ENOSPC', 'EDQUOT', 'EIO', 'ENOTDIR', 'EEXIST', 'EMFILE', 'ENFILE']);

function errorCode(error: unknown): string | undefined {
  return error instanceof Error && 'code' in error && typeof error.code === 'string' ? error.code : undefined;
}

/**
 * `error` as a {@link StoreUnavailableError} when it is about the file or its locks (so the
 * worker retries and the api answers 503); any other error (a bug, bad data) unchanged.
 */
export function toStoreError(error: unknown): unknown {
  const code = errorCode(error);
  if (code === undefined) return error;
  const unavailable = FS_UNAVAILABLE.has(code) || SQLITE_UNAVAILABLE.some((base) => code === base || code.startsWith(`${base}_`));
  if (!unavailable) return error;
  const reason = error instanceof Error ? error.message : code;
  return new StoreUnavailableError(`SQLite store unavailable (${code}): ${reason}`, { cause: error });
}
