import { z } from 'zod';
import { Identifier, IdentifierInput } from './identifier.js';
import { RecordId } from './record-id.js';
import { DateInput } from './date-input.js';
import { unlessMissing } from './error-messages.js';
import { TextInput } from './text-input.js';

/** 1 system notice, 2 admin notice, 3 operation notice. */
export const MESSAGE_TYPE_IDS = [1, 2, 3] as const;
export const MessageTypeId = z.union(MESSAGE_TYPE_IDS.map((id) => z.literal(id)), {
  error: unlessMissing('must be 1 (system notice), 2 (admin notice) or 3 (operation notice)'),
});
export type MessageTypeId = z.infer<typeof MessageTypeId>;

export const TITLE_MAX = 200;
export const CONTENT_MAX = 10_000;
export const RECEIVERS_MAX = 1000;

const optionalText = (max: number) => TextInput(max).optional();

/** Fields a producer sends for a message, shared by the single and the many-receiver forms. */
const messageInputFields = {
  companyID: IdentifierInput,
  senderID: IdentifierInput.optional(),
  sender: optionalText(200),
  portrait: optionalText(2048),
  typeID: MessageTypeId,
  title: TextInput(TITLE_MAX, 1),
  content: TextInput(CONTENT_MAX),
  url: optionalText(2048),
  date: DateInput.optional(),
};

/** Body of `POST /v1/messages`: exactly one of `receiverID` or `receiverIDs`. */
export const SendMessageBody = z
  .strictObject({
    ...messageInputFields,
    receiverID: IdentifierInput.optional(),
    receiverIDs: z.array(IdentifierInput).min(1).max(RECEIVERS_MAX).optional(),
  })
  .refine((body) => (body.receiverID === undefined) !== (body.receiverIDs === undefined), {
    path: ['receiverID'],
    message: 'exactly one of receiverID or receiverIDs is required',
    // Checked even when other fields are invalid, so the 400 lists this problem with the rest.
    when: (payload) => typeof payload.value === 'object' && payload.value !== null,
  });
export type SendMessageBody = z.infer<typeof SendMessageBody>;

/**
 * One message of a bulk request (`POST /v1/bulk`): the fields of `POST /v1/messages` with exactly
 * one receiver, `receiverID` (a bulk request gives each message its own receiver and texts).
 */
export const BulkMessage = z.strictObject({ ...messageInputFields, receiverID: IdentifierInput });
export type BulkMessage = z.infer<typeof BulkMessage>;

/**
 * A stored message, as the store returns it and as pages receive it. Its states: unseen → seen
 * (the user opened the inbox) → read (or unread again), and archived or not; reading also marks
 * seen. A deleted message is never returned. The state flags default to false, so a job enqueued
 * by an api without them parses.
 */
export const Message = z.object({
  id: RecordId,
  companyID: Identifier,
  receiverID: Identifier,
  senderID: Identifier.optional(),
  sender: z.string().optional(),
  portrait: z.string().optional(),
  typeID: MessageTypeId,
  title: z.string(),
  content: z.string(),
  url: z.string().optional(),
  date: z.iso.datetime(),
  isRead: z.boolean(),
  readAt: z.iso.datetime().optional(),
  isSeen: z.boolean().default(false),
  seenAt: z.iso.datetime().optional(),
  isArchived: z.boolean().default(false),
  archivedAt: z.iso.datetime().optional(),
});
export type Message = z.infer<typeof Message>;

/** The state of a message the api has just accepted: unread, unseen, in the inbox. */
export const NEW_MESSAGE_STATE = Object.freeze({ isRead: false, isSeen: false, isArchived: false } as const);

/** `new_msg` payload: a message, flagged when it is replayed at login. */
export const NewMessageEvent = Message.extend({ replayed: z.literal(true).optional() });
export type NewMessageEvent = z.infer<typeof NewMessageEvent>;

export const SendMessageResponse = z.object({ ids: z.array(RecordId), status: z.literal('queued') });
export type SendMessageResponse = z.infer<typeof SendMessageResponse>;
