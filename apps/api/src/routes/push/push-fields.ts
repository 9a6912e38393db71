import { z } from 'zod';
import { IdentifierInput, MessageTypeId, SendDynamicBody, SendMessageBody } from '@notify/contracts';

/** `typeID` as a form sends it (`"1"`) or as JSON does (`1`). */
const FormTypeId = z.union([z.int(), z.string().regex(/^\d{1,3}$/).transform(Number)]).pipe(MessageTypeId);

const { receiverID: _receiverID, receiverIDs: _receiverIDs, typeID: _typeID, ...messageFields } = SendMessageBody.shape;

/** The API key, for producers that cannot set an `Authorization` header. */
const key = z.string().optional();

/**
 * What the older phpsocket.io push port received, with its field names: `action` says which record,
 * the other fields are that record's (one receiver per message). Form and query values are strings,
 * which the identifier fields take as they are and `typeID` converts.
 */
export const PushFields = z.discriminatedUnion('action', [
  z.strictObject({ action: z.literal('message'), key, ...messageFields, receiverID: IdentifierInput, typeID: FormTypeId }),
  z.strictObject({ action: z.literal('dynamic'), key, ...SendDynamicBody.shape }),
]);
export type PushFields = z.infer<typeof PushFields>;

/** What `/push` answers, as plain text: `ok` (queued; a message's receiver is online) or `offline`. */
export const PushAnswer = z.enum(['ok', 'offline']);
export type PushAnswer = z.infer<typeof PushAnswer>;
