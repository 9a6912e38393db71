import { setTimeout as sleep } from 'node:timers/promises';
import { backoffDelay } from './backoff-delay.js';
import type { CallOptions } from './call-options.js';
import { NotifyApiError } from './notify-api-error.js';
import { NotifyResponseError } from './notify-response-error.js';
import { NotifyRetriesExhaustedError } from './notify-retries-exhausted-error.js';
import { retryAfterMs } from './retry-after.js';

/** How the transport reaches the api and how hard it tries. */
export interface TransportOptions {
  baseUrl: string;
  apiKey: string;
  retries: number;
  backoffMs: number;
  maxBackoffMs: number;
  timeoutMs: number;
  fetch: typeof fetch;
}

/** Anything with zod's `safeParse`: the contracts' response schemas. */
export interface ResponseSchema<T> {
  safeParse(data: unknown): { success: true; data: T } | { success: false; error: Error };
}

/** One call to the api. */
export interface ApiCall<T> extends CallOptions {
  method: 'GET' | 'POST';
  /** Path and query, e.g. `/v1/users/1/messages?limit=5`. */
  path: string;
  /** Sent as JSON. */
  body?: unknown;
  idempotencyKey?: string;
  /** What a successful answer must look like. */
  schema: ResponseSchema<T>;
}

/** Statuses that say "not now" rather than "no": the request may be repeated as it is. */
const RETRYABLE_STATUS = new Set([429, 502, 503, 504]);

type Attempt<T> = { done: true; value: T } | { done: false; failure: unknown; waitMs?: number };

/**
 * Sends calls to the api: JSON in and out, the API key, a timeout per attempt, and retries with
 * backoff on answers and failures that are safe to repeat. Every attempt of a call sends the same
 * headers, so its `Idempotency-Key` makes the api store a retried send once.
 */
export class ApiTransport {
  constructor(private readonly options: TransportOptions) {}

  async call<T>(call: ApiCall<T>): Promise<T> {
    const what = `${call.method} ${call.path.split('?')[0]}`;
    // Built once, outside the loop: a bad header value is the caller's bug, not worth a retry.
    const url = `${this.options.baseUrl.replace(/\/+$/, '')}${call.path}`;
    const headers = this.headers(call);
    const body = call.body === undefined ? undefined : JSON.stringify(call.body);
    const attempts = this.options.retries + 1;
    for (let attempt = 1; ; attempt++) {
      const result = await this.attempt(call, what, url, headers, body);
      if (result.done) return result.value;
      if (attempt >= attempts) throw new NotifyRetriesExhaustedError(what, attempt, result.failure);
      const waitMs = result.waitMs ?? backoffDelay(attempt, this.options.backoffMs, this.options.maxBackoffMs);
      try {
        await sleep(waitMs, undefined, { signal: call.signal });
      } catch {
        throw call.signal?.reason;
      }
    }
  }

  /** One attempt: its value, or a failure worth retrying; anything else throws. */
  private async attempt<T>(call: ApiCall<T>, what: string, url: string, headers: Headers, body: string | undefined): Promise<Attempt<T>> {
    const timeout = AbortSignal.timeout(this.options.timeoutMs);
    const signal = call.signal ? AbortSignal.any([call.signal, timeout]) : timeout;
    let response: Response;
    let text: string;
    try {
      response = await this.options.fetch(url, { method: call.method, headers, body, signal });
      text = await response.text();
    } catch (error) {
      if (call.signal?.aborted) throw call.signal.reason;
      // A network error or this attempt's timeout: the api may or may not have acted; the
      // Idempotency-Key makes asking again safe.
      return { done: false, failure: error };
    }
    const parsed = parseJson(text);
    if (!response.ok) {
      const error = new NotifyApiError(response.status, parsed, what);
      if (!RETRYABLE_STATUS.has(response.status)) throw error;
      return { done: false, failure: error, waitMs: retryAfterMs(response.headers.get('retry-after')) };
    }
    const result = call.schema.safeParse(parsed);
    if (!result.success) throw new NotifyResponseError(what, response.status, parsed, result.error.message);
    return { done: true, value: result.data };
  }

  private headers(call: ApiCall<unknown>): Headers {
    const headers = new Headers({ authorization: `Bearer ${this.options.apiKey}`, accept: 'application/json' });
    if (call.body !== undefined) headers.set('content-type', 'application/json');
    if (call.idempotencyKey !== undefined) headers.set('idempotency-key', call.idempotencyKey);
    if (call.requestId !== undefined) headers.set('x-request-id', call.requestId);
    return headers;
  }
}

/** JSON when it is JSON, else the text as it came (an error page, say). */
function parseJson(text: string): unknown {
  if (text === '') return undefined;
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return text;
  }
}
