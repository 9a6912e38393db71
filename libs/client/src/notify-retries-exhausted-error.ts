/**
 * Every attempt of a call failed in a way worth retrying (429, 502, 503, 504, network error,
 * timeout) and no retries are left. `cause` is the last attempt's failure: a
 * {@link NotifyApiError} for an error status, else the network or timeout error.
 */
export class NotifyRetriesExhaustedError extends Error {
  override readonly name = 'NotifyRetriesExhaustedError';
  readonly code = 'retries_exhausted';

  constructor(
    /** What was asked, e.g. `POST /v1/messages`. */
    readonly request: string,
    /** How many attempts were made. */
    readonly attempts: number,
    cause: unknown,
  ) {
    super(`${request} failed after ${attempts} attempts; last: ${cause instanceof Error ? cause.message : String(cause)}`, { cause });
  }
}
