import { z } from 'zod';
import { Identifier, IdentifierInput } from './identifier.js';
import { RecordId } from './record-id.js';
import { DateInput } from './date-input.js';
import { CONTENT_MAX, TITLE_MAX } from './message.js';
import { TextInput } from './text-input.js';

/** Body of `POST /v1/dynamics`: one entry of a company's activity feed and operation log. */
export const SendDynamicBody = z.strictObject({
  companyID: IdentifierInput,
  operatorID: IdentifierInput,
  operator: TextInput(200, 1),
  portrait: TextInput(2048).optional(),
  receiver: TextInput(200).optional(),
  title: TextInput(TITLE_MAX, 1),
  content: TextInput(CONTENT_MAX),
  url: TextInput(2048).optional(),
  objectType: IdentifierInput.optional(),
  objectID: IdentifierInput.optional(),
  date: DateInput.optional(),
});
export type SendDynamicBody = z.infer<typeof SendDynamicBody>;

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
export type Dynamic = z.infer<typeof Dynamic>;

export const SendDynamicResponse = z.object({ id: RecordId, status: z.literal('queued') });
export type SendDynamicResponse = z.infer<typeof SendDynamicResponse>;
