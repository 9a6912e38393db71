/**
 * The api answered with success, but not with what the contract promises (an api of another
 * version, or something that is not the api at all). Not retried.
 */
export class NotifyResponseError extends Error {
  override readonly name = 'NotifyResponseError';
  readonly code = 'unexpected_response';

  constructor(
    /** What was asked, e.g. `GET /v1/users/1/messages`. */
    readonly request: string,
    readonly status: number,
    /** The body as received. */
    readonly body: unknown,
    /** Why it does not match, e.g. the schema's problems. */
    reason: string,
  ) {
    super(`${request} answered ${status} with an unexpected body: ${reason}`);
  }
}
