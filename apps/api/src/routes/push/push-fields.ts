import { z } from 'zod';
import { IdentifierInput, MessageTypeId, SendDynamicBody, SendMessageBody } from '@notify/contracts';
import { IDEMPOTENCY_KEY_PATTERN } from '../../idempotency/idempotency-keys.js';

/** `typeID` as a form sends it (`"1"`) or as JSON does (`1`). */
const FormTypeId = z.union([z.int(), z.string().regex(/^\d{1,3}$/).transform(Number)]).pipe(MessageTypeId);

const { receiverID: _receiverID, receiverIDs: _receiverIDs, typeID: _typeID, ...messageFields } = SendMessageBody.shape;

/** Fields about the request rather than the record; none of them is stored. */
const requestFields = {
  /** The API key, for producers that cannot set an `Authorization` header. */
  key: z.string().optional(),
  /** What older backends called their shared secret: taken as the API key when neither the header nor `key` gives one. */
  token: z.string().optional(),
  /** The `Idempotency-Key` header, for producers that can only send fields; the header wins. */
  idempotencyKey: z.string().regex(IDEMPOTENCY_KEY_PATTERN, 'must be 1-255 visible ASCII characters').optional(),
};

/**
 * A message as older backends send it: `companyID` may be left out (the api's `PUSH_DEFAULT_COMPANY_ID`
 * is stored instead), and the sender may be named like a dynamic's operator (`operatorID`, `operator`).
 */
const PushMessageFields = z
  .strictObject({
    action: z.literal('message'),
    ...requestFields,
    ...messageFields,
    companyID: IdentifierInput.optional(),
    receiverID: IdentifierInput,
    typeID: FormTypeId,
    operatorID: messageFields.senderID.describe('the older name of senderID'),
    operator: messageFields.sender.describe('the older name of sender'),
  })
  .superRefine((fields, ctx) => {
    for (const [older, newer] of [['operatorID', 'senderID'], ['operator', 'sender']] as const) {
      if (fields[older] !== undefined && fields[newer] !== undefined && fields[older] !== fields[newer]) {
        ctx.addIssue({ code: 'custom', path: [older], message: `is the older name of ${newer}; send one of them` });
      }
    }
  });

/**
 * What the older phpsocket.io push port received, with its field names: `action` says which record,
 * the other fields are that record's (one receiver per message). Form and query values are strings,
 * which the identifier fields take as they are and `typeID` converts.
 */
export const PushFields = z.discriminatedUnion('action', [
  PushMessageFields,
  z.strictObject({ action: z.literal('dynamic'), ...requestFields, ...SendDynamicBody.shape }),
]);
export type PushFields = z.infer<typeof PushFields>;

/** What `/push` answers, as plain text: `ok` (queued; a message's receiver is online) or `offline`. */
export const PushAnswer = z.enum(['ok', 'offline']);
export type PushAnswer = z.infer<typeof PushAnswer>;
