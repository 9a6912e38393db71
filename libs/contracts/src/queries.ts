import { z } from 'zod';
import { IdentifierInput } from './identifier.js';
import { RecordId } from './record-id.js';
import { MessageTypeId } from './message.js';

export const PAGE_LIMIT_MAX = 100;
export const PAGE_LIMIT_DEFAULT = 20;

const limit = z.coerce.number().int().min(1).max(PAGE_LIMIT_MAX).default(PAGE_LIMIT_DEFAULT);
const booleanFlag = z.enum(['true', 'false'], { error: 'must be true or false' }).transform((v) => v === 'true');

/**
 * A page is read in one direction: older than `before`, or newer than `after`, never both
 * (`.refine(inOneDirection, oneDirection)`, for the HTTP queries and the socket requests alike).
 */
export const oneDirection = {
  path: ['after'],
  message: 'give before or after, not both',
  when: (payload: { value: unknown }) => typeof payload.value === 'object' && payload.value !== null,
};
export const inOneDirection = (page: { before?: string | undefined; after?: string | undefined }) =>
  page.before === undefined || page.after === undefined;

const pageFields = {
  limit,
  /** The next older page: ids strictly lower than this. */
  before: RecordId.optional(),
  /** The next newer page: ids strictly greater than this (the ones right after it). */
  after: RecordId.optional(),
};

/** Paging of every newest-first list: `limit` (1-100, default 20) and a `before` or `after` record id. */
export const PageQuery = z.object(pageFields).refine(inOneDirection, oneDirection);
export type PageQuery = z.infer<typeof PageQuery>;

/** `GET /v1/users/:uid/messages` query. */
export const ListMessagesQuery = z
  .object({
    ...pageFields,
    companyID: IdentifierInput.optional(),
    unread: booleanFlag.optional(),
    typeID: z.coerce.number().pipe(MessageTypeId).optional(),
    /** false (default): the inbox; true: the archive. */
    archived: booleanFlag.default(false),
  })
  .refine(inOneDirection, oneDirection);
export type ListMessagesQuery = z.infer<typeof ListMessagesQuery>;

/** `GET /v1/users/:uid/unread-count` query. */
export const UnreadCountQuery = z.object({ companyID: IdentifierInput.optional() });

/** `GET /v1/objects/:objectType/:objectID/logs` query. */
export const ObjectLogsQuery = z
  .object({ ...pageFields, companyID: IdentifierInput.optional() })
  .refine(inOneDirection, oneDirection);
export type ObjectLogsQuery = z.infer<typeof ObjectLogsQuery>;

/**
 * A newest-first page. `nextCursor` continues in the direction asked: pass it as `before` after a
 * page read with `before` (or none), as `after` after a page read with `after`; null at the end.
 */
export const page = <T extends z.ZodType>(item: T) =>
  z.object({ items: z.array(item), nextCursor: RecordId.nullable() });
export interface Page<T> {
  items: T[];
  nextCursor: RecordId | null;
}
