import { z } from 'zod';
import { Identifier, IdentifierInput } from './identifier.js';
import { RecordId } from './record-id.js';
import { DateInput } from './date-input.js';
import { CONTENT_MAX, TITLE_MAX } from './message.js';
/** Body of `POST /v1/dynamics`: one entry of a company's activity feed and operation log. */
export const SendDynamicBody = z.strictObject({
    companyID: IdentifierInput,
    operatorID: IdentifierInput,
    operator: z.string().min(1).max(200),
    portrait: z.string().max(2048).optional(),
    receiver: z.string().max(200).optional(),
    title: z.string().min(1).max(TITLE_MAX),
    content: z.string().max(CONTENT_MAX),
    url: z.string().max(2048).optional(),
    objectType: IdentifierInput.optional(),
    objectID: IdentifierInput.optional(),
    date: DateInput.optional(),
});
/** A stored dynamic (operation-log entry). */
export const Dynamic = z.object({
    id: RecordId,
    companyID: Identifier,
    operatorID: Identifier,
    operator: z.string(),
    portrait: z.string().optional(),
    receiver: z.string().optional(),
    title: z.string(),
    content: z.string(),
    url: z.string().optional(),
    objectType: Identifier.optional(),
    objectID: Identifier.optional(),
    date: z.iso.datetime(),
});
export const SendDynamicResponse = z.object({ id: RecordId, status: z.literal('queued') });
