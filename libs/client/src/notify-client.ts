import { randomUUID } from 'node:crypto';
import {
  Message,
  MintTokenResponse,
  ReadResult,
  RevokeTokensResponse,
  SendBulkResponse,
  SendDynamicResponse,
  SendMessageResponse,
  InboxCounts,
  type MessageChange,
  page,
  type Page,
  type ReadSelector,
} from '@notify/contracts';
import { ApiTransport, type ResponseSchema } from './api-transport.js';
import type { CallOptions, SendOptions } from './call-options.js';
import { partKey, splitBulk } from './bulk-requests.js';
import type { IdentifierValue, ListMessagesQuery, SendBulkInput, SendDynamicInput, SendMessageInput, SendMessagesInput } from './client-inputs.js';

export interface NotifyClientOptions {
  /** The api's base URL, e.g. `http://notify-api:2121` (a path prefix is kept). */
  baseUrl: string;
  /** A producer key, one of the api's `API_KEYS`; sent as `Authorization: Bearer <key>`. */
  apiKey: string;
  /** Retries after the first attempt, on 429, 502, 503, 504, network errors and timeouts. Default 5. */
  retries?: number;
  /** Base of the exponential backoff between attempts (ms), doubled per retry, with jitter. Default 200. */
  backoff?: number;
  /** Longest backoff between two attempts (ms); a `Retry-After` from the api is honoured as given. Default 5000. */
  maxBackoffMs?: number;
  /** How long one attempt may take, answer included (ms). Default 10 000. */
  timeoutMs?: number;
  /** The fetch to use. Default: the global one. */
  fetch?: typeof fetch;
  /**
   * `sendBulk` splits its input into requests of at most this many bytes of JSON (and 1,000
   * records). Default 1 MiB, the api's `BULK_BODY_LIMIT_BYTES`; set it to the api's if that differs.
   */
  bulkMaxBytes?: number;
}

const MessagePage = page(Message);
const segment = (value: IdentifierValue) => encodeURIComponent(String(value));

/**
 * A typed client for the notify api, for web backends (Node ≥ 20). Sends carry an
 * `Idempotency-Key` and are retried with it, so a retried send is stored once. Failures reject
 * with {@link NotifyApiError} (the api said no), {@link NotifyRetriesExhaustedError} (it kept
 * saying "not now", or could not be reached) or {@link NotifyResponseError} (an unexpected answer).
 */
export class NotifyClient {
  private readonly transport: ApiTransport;
  private readonly bulkMaxBytes: number;

  constructor(options: NotifyClientOptions) {
    this.bulkMaxBytes = options.bulkMaxBytes ?? 1024 * 1024;
    this.transport = new ApiTransport({
      baseUrl: options.baseUrl,
      apiKey: options.apiKey,
      retries: options.retries ?? 5,
      backoffMs: options.backoff ?? 200,
      maxBackoffMs: options.maxBackoffMs ?? 5000,
      timeoutMs: options.timeoutMs ?? 10_000,
      fetch: options.fetch ?? globalThis.fetch,
    });
  }

  /** Sends a message to one user (`POST /v1/messages`) → `{ids: [id], status: 'queued'}`. */
  sendMessage(input: SendMessageInput, options: SendOptions = {}): Promise<SendMessageResponse> {
    return this.send('/v1/messages', input, SendMessageResponse, options);
  }

  /** Sends the same message to many users → one id per distinct receiver, in order. */
  sendMessages(input: SendMessagesInput, options: SendOptions = {}): Promise<SendMessageResponse> {
    return this.send('/v1/messages', input, SendMessageResponse, options);
  }

  /** Sends an entry of a company's activity feed (`POST /v1/dynamics`) → `{id, status: 'queued'}`. */
  sendDynamic(input: SendDynamicInput, options: SendOptions = {}): Promise<SendDynamicResponse> {
    return this.send('/v1/dynamics', input, SendDynamicResponse, options);
  }

  /**
   * Sends many different messages (each with its own receiver and texts) and dynamics with
   * `POST /v1/bulk`, as few requests as the api's limits allow (1,000 records and
   * {@link NotifyClientOptions.bulkMaxBytes} each), one after the other, each with an
   * `Idempotency-Key` of its own: `<idempotencyKey>.part<n>` when you give one, else a random one.
   * Resolves with every id, in the order of the input's arrays. When a request fails, it rejects
   * with that error, the requests before it having been accepted: call it again with the same input
   * and `idempotencyKey`, and those get their ids again, stored once. No records: no request.
   */
  async sendBulk(input: SendBulkInput, options: SendOptions = {}): Promise<SendBulkResponse> {
    const { idempotencyKey, ...rest } = options;
    const ids: SendBulkResponse['ids'] = { messages: [], dynamics: [] };
    const requests = splitBulk(input, this.bulkMaxBytes);
    for (const [index, request] of requests.entries()) {
      const key = idempotencyKey === undefined ? undefined : partKey(idempotencyKey, index);
      const answer = await this.send('/v1/bulk', request.body, SendBulkResponse, { ...rest, idempotencyKey: key });
      ids.messages.push(...answer.ids.messages);
      ids.dynamics.push(...answer.ids.dynamics);
    }
    return { ids, status: 'queued' };
  }

  /** One page of a user's messages, newest first; pass `nextCursor` as `before` for the next. */
  listMessages(uid: IdentifierValue, query: ListMessagesQuery = {}, options: CallOptions = {}): Promise<Page<Message>> {
    const search = new URLSearchParams();
    for (const [name, value] of Object.entries(query)) if (value !== undefined) search.set(name, String(value));
    const qs = search.toString() ? `?${search}` : '';
    return this.transport.call({ ...options, method: 'GET', path: `/v1/users/${segment(uid)}/messages${qs}`, schema: MessagePage });
  }

  /**
   * A user's exact counts in the inbox: unread in total and per type, and unseen, optionally
   * within one company, with the counts' version.
   */
  unreadCount(uid: IdentifierValue, { companyID }: { companyID?: IdentifierValue } = {}, options: CallOptions = {}): Promise<InboxCounts> {
    const qs = companyID === undefined ? '' : `?${new URLSearchParams({ companyID: String(companyID) })}`;
    return this.transport.call({ ...options, method: 'GET', path: `/v1/users/${segment(uid)}/unread-count${qs}`, schema: InboxCounts });
  }

  /**
   * Marks a user's messages read: `{ids}`, `{typeID}`, `{all: true}` or `{upTo}` → `{updated}`.
   * Safe to retry, but a retry after a lost answer reports 0 updated: the first attempt did the work.
   */
  markRead(uid: IdentifierValue, selector: ReadSelector, options: CallOptions = {}): Promise<ReadResult> {
    return this.changeMessages(uid, 'read', selector, options);
  }

  /**
   * Applies a change (`seen`, `read`, `unread`, `archive`, `unarchive`, `delete`) to a user's
   * messages → `{updated}`; the user's pages hear of it. Retried like {@link markRead}.
   */
  changeMessages(uid: IdentifierValue, change: MessageChange, selector: ReadSelector, options: CallOptions = {}): Promise<ReadResult> {
    const path = `/v1/users/${segment(uid)}/messages/${change}`;
    return this.transport.call({ ...options, method: 'POST', path, body: selector, schema: ReadResult });
  }

  /** A browser token for the gateway (`ttlSeconds` 1 s to 7 days, default the api's 1 h). */
  mintToken(uid: IdentifierValue, companyID: IdentifierValue, ttlSeconds?: number, options: CallOptions = {}): Promise<MintTokenResponse> {
    return this.transport.call({ ...options, method: 'POST', path: '/v1/tokens', body: { uid, companyID, ttlSeconds }, schema: MintTokenResponse });
  }

  /**
   * Cuts a user off (`POST /v1/users/:uid/revoke-tokens`): their open pages, in every company, are
   * disconnected and the tokens minted for them until now are refused → `{revokedBefore}`. Safe to retry.
   */
  revokeUserTokens(uid: IdentifierValue, options: CallOptions = {}): Promise<RevokeTokensResponse> {
    const path = `/v1/users/${segment(uid)}/revoke-tokens`;
    return this.transport.call({ ...options, method: 'POST', path, body: {}, schema: RevokeTokensResponse });
  }

  /** Cuts a company off (`POST /v1/companies/:companyID/revoke-tokens`), like {@link revokeUserTokens}. */
  revokeCompanyTokens(companyID: IdentifierValue, options: CallOptions = {}): Promise<RevokeTokensResponse> {
    const path = `/v1/companies/${segment(companyID)}/revoke-tokens`;
    return this.transport.call({ ...options, method: 'POST', path, body: {}, schema: RevokeTokensResponse });
  }

  private send<T>(path: string, body: unknown, schema: ResponseSchema<T>, options: SendOptions): Promise<T> {
    // One key per call, not per attempt: that is what lets the api recognise a retry.
    const { idempotencyKey = randomUUID(), ...rest } = options;
    return this.transport.call({ ...rest, method: 'POST', path, body, idempotencyKey, schema });
  }
}
