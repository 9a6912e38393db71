import { z } from 'zod';
import { BulkMessage } from './message.js';
import { SendDynamicBody } from './dynamic.js';
import { RecordId } from './record-id.js';

/** The most records (messages and dynamics together) one bulk request may carry. */
export const BULK_RECORDS_MAX = 1000;

const isObject = (payload: { value: unknown }) => typeof payload.value === 'object' && payload.value !== null && !Array.isArray(payload.value);
/** Records in a body that may not have parsed: arrays are counted, anything else is another problem. */
const recordCount = (body: { messages?: unknown; dynamics?: unknown }) =>
  (Array.isArray(body.messages) ? body.messages.length : 0) + (Array.isArray(body.dynamics) ? body.dynamics.length : 0);

/**
 * Body of `POST /v1/bulk`: many different messages (each with its own receiver and texts) and
 * dynamics at once, 1 to {@link BULK_RECORDS_MAX} records in all. Validated as a whole: every
 * problem is listed by its index (`messages.3.title`), and nothing is queued when there is one.
 */
export const SendBulkBody = z
  .strictObject({
    messages: z.array(BulkMessage).max(BULK_RECORDS_MAX).optional(),
    dynamics: z.array(SendDynamicBody).max(BULK_RECORDS_MAX).optional(),
  })
  // Checked even when items are invalid, so the 400 lists these problems with the rest.
  .refine((body) => recordCount(body) >= 1, { path: [], message: 'needs at least one message or dynamic', when: isObject })
  .refine((body) => recordCount(body) <= BULK_RECORDS_MAX, {
    path: [],
    message: `holds more than ${BULK_RECORDS_MAX} records (messages and dynamics together)`,
    when: isObject,
  });
export type SendBulkBody = z.infer<typeof SendBulkBody>;

/** `202` answer of `POST /v1/bulk`: one id per record, in the order of the body's arrays. */
export const SendBulkResponse = z.object({
  ids: z.object({ messages: z.array(RecordId), dynamics: z.array(RecordId) }),
  status: z.literal('queued'),
});
export type SendBulkResponse = z.infer<typeof SendBulkResponse>;
