import { z } from 'zod';
import { RecordId } from './record-id.js';
import { MessageTypeId } from './message.js';
import { unlessMissing } from './error-messages.js';

export const READ_IDS_MAX = 1000;

/**
 * Which of a user's messages a change applies to: some ids, one type, all, or every message up to
 * and including one id (what a page has shown). Named for `read`, its first use; every change
 * (seen, unread, archive, …) takes the same selector.
 */
export const ReadSelector = z.union(
  [
    z.strictObject({ ids: z.array(RecordId).min(1).max(READ_IDS_MAX) }),
    z.strictObject({ typeID: MessageTypeId }),
    z.strictObject({ all: z.literal(true) }),
    z.strictObject({ upTo: RecordId }),
  ],
  {
    error: unlessMissing('must be {"ids": [...]} (1-1000 ids), {"typeID": 1|2|3}, {"all": true} or {"upTo": "<id>"}'),
  },
);
export type ReadSelector = z.infer<typeof ReadSelector>;
/** {@link ReadSelector} under the name of what it is for every change. */
export const MessageSelector = ReadSelector;
export type MessageSelector = ReadSelector;

export const ReadResult = z.object({ updated: z.int().nonnegative() });
export type ReadResult = z.infer<typeof ReadResult>;
