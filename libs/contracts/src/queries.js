import { z } from 'zod';
import { IdentifierInput } from './identifier.js';
import { RecordId } from './record-id.js';
import { MessageTypeId } from './message.js';
export const PAGE_LIMIT_MAX = 100;
export const PAGE_LIMIT_DEFAULT = 20;
const limit = z.coerce.number().int().min(1).max(PAGE_LIMIT_MAX).default(PAGE_LIMIT_DEFAULT);
const booleanFlag = z.enum(['true', 'false'], { error: 'must be true or false' }).transform((v) => v === 'true');
/** Paging of every newest-first list: `limit` (1-100, default 20) and `before` a record id. */
export const PageQuery = z.object({ limit, before: RecordId.optional() });
/** `GET /v1/users/:uid/messages` query. */
export const ListMessagesQuery = PageQuery.extend({
    companyID: IdentifierInput.optional(),
    unread: booleanFlag.optional(),
    typeID: z.coerce.number().pipe(MessageTypeId).optional(),
});
/** `GET /v1/users/:uid/unread-count` query. */
export const UnreadCountQuery = z.object({ companyID: IdentifierInput.optional() });
/** `GET /v1/objects/:objectType/:objectID/logs` query. */
export const ObjectLogsQuery = PageQuery.extend({ companyID: IdentifierInput.optional() });
/** A newest-first page; `nextCursor` is the `before` for the next page, null on the last. */
export const page = (item) => z.object({ items: z.array(item), nextCursor: RecordId.nullable() });
