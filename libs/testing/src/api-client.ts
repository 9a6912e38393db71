import {
  MintTokenResponse,
  type ApiErrorBody,
  type SendBulkResponse,
  type SendDynamicResponse,
  type SendMessageResponse,
} from '@notify/contracts';

/**
 * An answer of the api. The body is as received, not validated: parse it with the contracts where
 * its shape is what the test is about.
 */
// `any` by default: tests read bodies freely and let expect() check them; pass a type for checked access.
export interface ApiResponse<Body = any> {
  status: number;
  headers: Headers;
  /** Parsed JSON when the response is JSON, else the text. */
  body: Body;
}

export interface ApiRequestOptions {
  /** Sent as JSON (with `Content-Type: application/json`). */
  body?: unknown;
  /** Sent as it is, e.g. malformed JSON or a form; set the content type in `headers`. */
  rawBody?: string | Uint8Array | URLSearchParams;
  /** Extra headers; an `Authorization` here replaces the API key. */
  headers?: Record<string, string>;
  /** Abort the request after this many ms. Default 10 s. */
  timeoutMs?: number;
  /** Aborts the request too (e.g. `AbortSignal.timeout(…)` to assert an answer comes quickly). */
  signal?: AbortSignal;
}

/**
 * The body of an accepted request, typed as such; on another status it holds an
 * {@link ApiErrorBody} instead, so check `status` first.
 */
export type Accepted<Body> = Body & Partial<ApiErrorBody>;

/** A tiny fetch client for the api, authenticated with an API key when one is given. */
export class ApiClient {
  constructor(
    /** e.g. `http://127.0.0.1:2121`. */
    readonly baseUrl: string,
    /** Sent as `Authorization: Bearer <key>`; none when undefined. */
    readonly apiKey?: string,
  ) {}

  /** Any request; never throws on an error status, only on a network failure or timeout. */
  // `any` by default for the reason given at ApiResponse.
  async request<Body = any>(method: string, path: string, options: ApiRequestOptions = {}): Promise<ApiResponse<Body>> {
    const headers = new Headers();
    if (this.apiKey !== undefined) headers.set('authorization', `Bearer ${this.apiKey}`);
    let payload: string | Uint8Array | URLSearchParams | undefined = options.rawBody;
    if (options.body !== undefined) {
      headers.set('content-type', 'application/json');
      payload = JSON.stringify(options.body);
    }
    for (const [name, value] of Object.entries(options.headers ?? {})) headers.set(name, value);
    const response = await fetch(new URL(path, this.baseUrl), {
      method,
      headers,
      body: payload,
      signal: AbortSignal.any([AbortSignal.timeout(options.timeoutMs ?? 10_000), ...(options.signal ? [options.signal] : [])]),
    });
    const text = await response.text();
    let body: unknown = text;
    if (text && response.headers.get('content-type')?.includes('json')) {
      try {
        body = JSON.parse(text);
      } catch {
        // Left as text: a test asserting on the body will show what came instead of JSON.
      }
    }
    // The caller names the shape it expects; the body is not validated (see ApiResponse).
    return { status: response.status, headers: response.headers, body: body as Body };
  }

  /** `POST /v1/messages`; `headers` e.g. `{ 'Idempotency-Key': 'k1' }`. */
  sendMessage(
    body: unknown,
    headers?: Record<string, string>,
    signal?: AbortSignal,
  ): Promise<ApiResponse<Accepted<SendMessageResponse>>> {
    return this.request('POST', '/v1/messages', { body, headers, signal });
  }

  /** `POST /v1/dynamics`. */
  sendDynamic(body: unknown, headers?: Record<string, string>, signal?: AbortSignal): Promise<ApiResponse<Accepted<SendDynamicResponse>>> {
    return this.request('POST', '/v1/dynamics', { body, headers, signal });
  }

  /** `POST /v1/bulk`. */
  sendBulk(body: unknown, headers?: Record<string, string>, signal?: AbortSignal): Promise<ApiResponse<Accepted<SendBulkResponse>>> {
    return this.request('POST', '/v1/bulk', { body, headers, signal });
  }

  /** `POST /v1/tokens` → the browser token; throws with the answer unless the api minted one. */
  async mintToken(uid: string | number, companyID: string | number, ttlSeconds?: number): Promise<string> {
    const response = await this.request('POST', '/v1/tokens', { body: { uid, companyID, ttlSeconds } });
    const minted = MintTokenResponse.safeParse(response.body);
    if (response.status >= 300 || !minted.success) {
      throw new Error(`POST /v1/tokens answered ${response.status}: ${JSON.stringify(response.body)}`);
    }
    return minted.data.token;
  }
}
