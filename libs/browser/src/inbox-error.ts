import type { ErrorCode, Issue } from '@notify/contracts';

/**
 * What went wrong, as a stable `code`: the gateway's own (`invalid_input`, `unauthorized`,
 * `unavailable`, `internal`, …) when it refused, or one of this library's:
 * - `offline`: the inbox was not connected, so nothing was sent;
 * - `no_answer`: the gateway did not answer in time, or the connection dropped while waiting
 *   (the change may or may not have been made: the list shows what the gateway holds);
 * - `token`: the token provider failed or gave no token;
 * - `refused`: the gateway refused the connection for another reason.
 */
export type InboxErrorCode = ErrorCode | 'offline' | 'no_answer' | 'token' | 'refused';

/** An action the server refused (rolled back), a request that failed, or a connection problem. */
export class InboxError extends Error {
  override readonly name = 'InboxError';

  constructor(
    readonly code: InboxErrorCode,
    message: string,
    /** The action or request that failed (`read`, `delete`, `list_messages`, `connect`, …). */
    readonly action?: string,
    /** With `invalid_input`: every problem the gateway found. */
    readonly issues?: readonly Issue[],
  ) {
    super(message);
  }
}

/** `error` as an {@link InboxError} (`internal` unless it already is one). */
export function toInboxError(error: unknown, action: string): InboxError {
  if (error instanceof InboxError) return error;
  return new InboxError('internal', error instanceof Error ? error.message : String(error), action);
}
