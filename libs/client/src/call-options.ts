/** Options of any one call. */
export interface CallOptions {
  /** Aborts the call, including the waits between attempts; it then rejects with the signal's reason. */
  signal?: AbortSignal;
  /** Sent as `X-Request-Id`; the api and the worker log it, so one call can be followed through. */
  requestId?: string;
}

/** Options of a send (`sendMessage`, `sendMessages`, `sendDynamic`). */
export interface SendOptions extends CallOptions {
  /**
   * Sent as `Idempotency-Key` (1-255 visible ASCII characters) with every attempt of this call, so
   * a retried send is stored once. Default: a new random UUID per call. Pass your own (e.g. your
   * event's id) to make a send safe to repeat across calls and process restarts too.
   */
  idempotencyKey?: string;
}
