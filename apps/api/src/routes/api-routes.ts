import { z } from 'zod';
import {
  ApiErrorBody,
  Dynamic,
  IdentifierInput,
  InboxCounts,
  ListMessagesQuery,
  MessageChange,
  Message,
  MintTokenBody,
  MintTokenResponse,
  ObjectLogsQuery,
  page,
  PageQuery,
  ReadResult,
  ReadSelector,
  RevokeTokensBody,
  RevokeTokensResponse,
  SendBulkBody,
  SendBulkResponse,
  SendDynamicBody,
  SendDynamicResponse,
  SendMessageBody,
  SendMessageResponse,
  UnreadCountQuery,
} from '@notify/contracts';
import { OnlineUsersResponse } from './companies/online-users.js';
import { PushAnswer, PushFields } from './push/push-fields.js';
import { IDEMPOTENCY_KEY_PATTERN } from '../idempotency/idempotency-keys.js';

/** Who may call a route: producers with an API key, operators with the board's password, anyone. */
export type RouteAuth = 'apiKey' | 'basic' | 'none';

/** One answer of a route. */
export interface RouteResponse {
  description: string;
  /** A JSON body (its output side); must be one of {@link NAMED_SCHEMAS}. */
  schema?: z.ZodType;
  /** A body that is not JSON, e.g. `text/html`. */
  contentType?: string;
  /** Possible plain-text bodies (`/push`). */
  text?: readonly string[];
}

/** One route of the api: what the OpenAPI document says about it and how metrics label it. */
export interface ApiRoute {
  method: 'get' | 'post';
  /** The Express path pattern (`/v1/users/:uid/messages`): the document's path and the metrics `route` label. */
  path: string;
  /** Also answers every path below this one (Bull Board's pages and API, the docs' assets), labelled `<path>/*`. */
  prefix?: boolean;
  tag: string;
  summary: string;
  description?: string;
  auth: RouteAuth;
  /** With `apiKey`: the key may also come as a `key` field of the query string or body (`/push`). */
  keyField?: boolean;
  params?: Record<string, z.ZodType>;
  /** The query string's fields (input side). */
  query?: z.ZodType;
  /** Request headers the route reads. */
  headers?: Record<string, { description: string; schema: z.ZodType }>;
  /**
   * The request body (input side) and the media types it may come as; `optional` when it may be
   * left out; `limit` names its size limit when it is not BODY_LIMIT_BYTES.
   */
  body?: { schema: z.ZodType; mediaTypes: readonly string[]; optional?: boolean; limit?: string };
  /** Errors are answered as plain text `fail` rather than the JSON error body (`/push`). */
  plainTextErrors?: boolean;
  /** Success answers; the error answers follow from auth, params and body. */
  responses: Record<number, RouteResponse>;
}

const HealthResponse = z.object({ status: z.literal('ok') });
const ReadinessResponse = z.object({
  status: z.enum(['ready', 'unavailable']),
  checks: z.record(z.string(), z.string()).describe('per dependency: `ok` or why it failed'),
});
const MessagePage = page(Message);
const DynamicPage = page(Dynamic);

/** Schemas written once under `components.schemas` and referenced by name. */
export const NAMED_SCHEMAS: Record<string, z.ZodType> = {
  SendMessageBody,
  SendMessageResponse,
  SendDynamicBody,
  SendDynamicResponse,
  SendBulkBody,
  SendBulkResponse,
  Message,
  MessagePage,
  Dynamic,
  DynamicPage,
  InboxCounts,
  ReadSelector,
  ReadResult,
  OnlineUsersResponse,
  MintTokenBody,
  MintTokenResponse,
  RevokeTokensBody,
  RevokeTokensResponse,
  PushFields,
  HealthResponse,
  ReadinessResponse,
  ApiErrorBody,
};

const json = ['application/json'] as const;

/** What each `POST /v1/users/:uid/messages/<change>` does, and the event the user's pages get. */
const CHANGE_SUMMARIES: Record<MessageChange, string> = {
  seen: "Mark a user's messages seen (the badge of new items clears; they stay unread): pages get msg_seen",
  read: "Mark a user's messages read (and seen): pages get msg_read",
  unread: "Mark a user's messages unread again: pages get msg_unread",
  archive: "Archive a user's messages (out of the inbox and its counts): pages get msg_archived",
  unarchive: "Bring a user's archived messages back to the inbox: pages get msg_unarchived",
  delete: "Delete a user's messages for good (from every list and count): pages get msg_deleted",
};
const idempotencyKeyHeader = {
  description: 'A retry with the same key and body gets the same ids and stores nothing twice (remembered 24 h per API key)',
  schema: z.string().regex(IDEMPOTENCY_KEY_PATTERN),
};
const uid = { uid: IdentifierInput };
const companyID = { companyID: IdentifierInput };

/**
 * Every route the api serves, in the order the docs list them. The OpenAPI document is generated
 * from this table and the Express app's routes are checked against it (`openapi-document.test.ts`).
 */
export const API_ROUTES: readonly ApiRoute[] = [
  {
    method: 'post',
    path: '/v1/messages',
    tag: 'messages',
    summary: 'Send a message to one user (receiverID) or the same message to many (receiverIDs)',
    auth: 'apiKey',
    headers: { 'Idempotency-Key': idempotencyKeyHeader },
    body: { schema: SendMessageBody, mediaTypes: json },
    responses: { 202: { description: 'Queued: one id per distinct receiver', schema: SendMessageResponse } },
  },
  {
    method: 'post',
    path: '/v1/dynamics',
    tag: 'dynamics',
    summary: "Add an entry to a company's activity feed and operation log",
    auth: 'apiKey',
    body: { schema: SendDynamicBody, mediaTypes: json },
    responses: { 202: { description: 'Queued', schema: SendDynamicResponse } },
  },
  {
    method: 'post',
    path: '/v1/bulk',
    tag: 'messages',
    summary: 'Send many different messages (each to its own receiver) and dynamics at once: up to 1,000 records',
    description:
      'Each message has the fields of `POST /v1/messages` with one `receiverID`; each dynamic those of `POST /v1/dynamics`. ' +
      'The body is validated as a whole: every problem is listed by its place (`messages.3.title`) and nothing is queued ' +
      'when there is one. One id per record, in the order of the arrays. The body may be up to BULK_BODY_LIMIT_BYTES (1 MiB).',
    auth: 'apiKey',
    headers: { 'Idempotency-Key': idempotencyKeyHeader },
    body: { schema: SendBulkBody, mediaTypes: json, limit: 'BULK_BODY_LIMIT_BYTES (1 MiB)' },
    responses: { 202: { description: 'Queued: one id per record', schema: SendBulkResponse } },
  },
  {
    method: 'get',
    path: '/v1/users/:uid/messages',
    tag: 'users',
    summary: "A user's messages, newest first: the inbox, or the archive with archived=true",
    auth: 'apiKey',
    params: uid,
    query: ListMessagesQuery,
    responses: {
      200: { description: 'A page; pass nextCursor as before (or, after a page read with after, as after) for the next one', schema: MessagePage },
    },
  },
  {
    method: 'get',
    path: '/v1/users/:uid/unread-count',
    tag: 'users',
    summary: "A user's unread and unseen messages in the inbox, in total and per type (exact), with the counts' version",
    auth: 'apiKey',
    params: uid,
    query: UnreadCountQuery,
    responses: { 200: { description: 'The counts', schema: InboxCounts } },
  },
  ...Object.values(MessageChange).map(
    (change): ApiRoute => ({
      method: 'post',
      path: `/v1/users/:uid/messages/${change}`,
      tag: 'users',
      summary: CHANGE_SUMMARIES[change],
      description: 'Selects some ids, one type, all, or every message up to an id. Every page of the user gets the change event and `unread_count`.',
      auth: 'apiKey',
      params: uid,
      body: { schema: ReadSelector, mediaTypes: json },
      responses: { 200: { description: 'How many messages changed', schema: ReadResult } },
    }),
  ),
  {
    method: 'get',
    path: '/v1/companies/:companyID/dynamics',
    tag: 'companies',
    summary: "A company's activity feed, newest first",
    auth: 'apiKey',
    params: companyID,
    query: PageQuery,
    responses: { 200: { description: 'A page of dynamics', schema: DynamicPage } },
  },
  {
    method: 'get',
    path: '/v1/companies/:companyID/online',
    tag: 'companies',
    summary: "A company's online users",
    auth: 'apiKey',
    params: companyID,
    responses: { 200: { description: 'Distinct users with at least one page open', schema: OnlineUsersResponse } },
  },
  {
    method: 'get',
    path: '/v1/objects/:objectType/:objectID/logs',
    tag: 'objects',
    summary: 'The operation log of one object, newest first',
    auth: 'apiKey',
    params: { objectType: IdentifierInput, objectID: IdentifierInput },
    query: ObjectLogsQuery,
    responses: { 200: { description: 'A page of dynamics', schema: DynamicPage } },
  },
  {
    method: 'post',
    path: '/v1/tokens',
    tag: 'tokens',
    summary: 'Mint a browser token (JWT, HS256) for the page the web backend renders',
    auth: 'apiKey',
    body: { schema: MintTokenBody, mediaTypes: json },
    responses: { 200: { description: 'The token and when it expires', schema: MintTokenResponse } },
  },
  {
    method: 'post',
    path: '/v1/users/:uid/revoke-tokens',
    tag: 'tokens',
    summary: "Cut a user off: end every open page of the user's, in every company, and refuse the tokens minted until now",
    description:
      'Tokens of this uid minted at or before `revokedBefore` (the api’s clock) are refused from now on at the handshake, ' +
      '`login` and `refresh_token`; every open page of the user gets `session_ended` `{"reason": "revoked"}` and is ' +
      'disconnected. Tokens minted after the answer work. The body is empty or `{}`.',
    auth: 'apiKey',
    params: uid,
    body: { schema: RevokeTokensBody, mediaTypes: json, optional: true },
    responses: { 200: { description: 'Revoked', schema: RevokeTokensResponse } },
  },
  {
    method: 'post',
    path: '/v1/companies/:companyID/revoke-tokens',
    tag: 'tokens',
    summary: "Cut a company off: end every open page of the company's users and refuse the company's tokens minted until now",
    description:
      'Like `/v1/users/{uid}/revoke-tokens`, for every token naming this companyID; the users’ pages in other companies stay.',
    auth: 'apiKey',
    params: companyID,
    body: { schema: RevokeTokensBody, mediaTypes: json, optional: true },
    responses: { 200: { description: 'Revoked', schema: RevokeTokensResponse } },
  },
  ...(['/push', '/'] as const).flatMap((path) =>
    (['get', 'post'] as const).map(
      (method): ApiRoute => ({
        method,
        path,
        tag: 'push',
        summary: path === '/push' ? 'The older phpsocket.io push port, drop-in' : 'The older push port at the root path, as the older server answered',
        description:
          'Fields `action=message|dynamic` plus the record’s fields, from the query string or a form or JSON body ' +
          '(body fields win; a POST may carry them all in its query string with an empty body); empty form fields ' +
          'count as absent. A message may name its sender `operatorID`/`operator` and leave out `companyID` ' +
          '(stored under PUSH_DEFAULT_COMPANY_ID). The key as `Authorization: Bearer`, a `key` field or a `token` ' +
          'field. `ok`: queued (a message’s receiver has a page open in that company); `offline`: queued and stored, ' +
          'the receiver gets it at login. Every error is plain text `fail` with its status (200 with PUSH_ALWAYS_200). ' +
          'A 503 may still be stored: retry it with the same Idempotency-Key (header or `idempotencyKey` field).',
        auth: 'apiKey',
        keyField: true,
        plainTextErrors: true,
        headers: { 'Idempotency-Key': idempotencyKeyHeader },
        ...(method === 'get'
          ? { query: PushFields }
          : { body: { schema: PushFields, mediaTypes: ['application/x-www-form-urlencoded', 'application/json'] } }),
        responses: { 200: { description: 'Queued', text: PushAnswer.options } },
      }),
    ),
  ),
  {
    method: 'get',
    path: '/healthz',
    tag: 'probes',
    summary: 'The process is alive',
    auth: 'none',
    responses: { 200: { description: 'Alive', schema: HealthResponse } },
  },
  {
    method: 'get',
    path: '/readyz',
    tag: 'probes',
    summary: 'Redis and the store are reachable',
    auth: 'none',
    responses: {
      200: { description: 'Ready', schema: ReadinessResponse },
      503: { description: 'A dependency is unreachable; checks says which', schema: ReadinessResponse },
    },
  },
  {
    method: 'get',
    path: '/metrics',
    tag: 'probes',
    summary: 'Prometheus metrics (text format)',
    auth: 'none',
    responses: { 200: { description: 'Metrics', contentType: 'text/plain; version=0.0.4' } },
  },
  {
    method: 'get',
    path: '/admin/queues',
    prefix: true,
    tag: 'operations',
    summary: 'Bull Board: the notifications queue (only when BULL_BOARD_PASSWORD is set)',
    auth: 'basic',
    responses: { 200: { description: 'The board (HTML); its assets and API live below this path', contentType: 'text/html' } },
  },
  {
    method: 'get',
    path: '/openapi.json',
    tag: 'docs',
    summary: 'This document',
    auth: 'none',
    responses: { 200: { description: 'OpenAPI 3.1', contentType: 'application/json' } },
  },
  {
    method: 'get',
    path: '/docs',
    prefix: true,
    tag: 'docs',
    summary: 'This document for people (Swagger UI)',
    auth: 'none',
    responses: { 200: { description: 'The page (HTML); its assets live below this path', contentType: 'text/html' } },
  },
];
