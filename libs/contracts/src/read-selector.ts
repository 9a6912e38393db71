import { z } from 'zod';
import { RecordId } from './record-id.js';
import { MessageTypeId } from './message.js';
import { unlessMissing } from './error-messages.js';

export const READ_IDS_MAX = 1000;

/** Which of a user's messages to mark read: some ids, one type, or all. */
export const ReadSelector = z.union(
  [
    z.strictObject({ ids: z.array(RecordId).min(1).max(READ_IDS_MAX) }),
    z.strictObject({ typeID: MessageTypeId }),
    z.strictObject({ all: z.literal(true) }),
  ],
  { error: unlessMissing('must be {"ids": [...]} (1-1000 ids), {"typeID": 1|2|3} or {"all": true}') },
);
export type ReadSelector = z.infer<typeof ReadSelector>;

export const ReadResult = z.object({ updated: z.int().nonnegative() });
export type ReadResult = z.infer<typeof ReadResult>;
