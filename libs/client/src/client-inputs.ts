import type { z } from 'zod';
import type { BulkMessage, MessageTypeId, RecordId, SendDynamicBody, SendMessageBody } from '@notify/contracts';

/** An identifier as the api accepts it: a string or an integer (returned as a string). */
export type IdentifierValue = string | number;

type MessageBody = z.input<typeof SendMessageBody>;

/** A message to one user: the `POST /v1/messages` body with `receiverID`. */
export type SendMessageInput = Omit<MessageBody, 'receiverID' | 'receiverIDs'> & { receiverID: IdentifierValue };

/** The same message to many users (1-1000, duplicates sent once): the body with `receiverIDs`. */
export type SendMessagesInput = Omit<MessageBody, 'receiverID' | 'receiverIDs'> & { receiverIDs: IdentifierValue[] };

/** An entry of a company's activity feed and operation log: the `POST /v1/dynamics` body. */
export type SendDynamicInput = z.input<typeof SendDynamicBody>;

/** One message of a bulk send: the `POST /v1/messages` fields with one `receiverID`. */
export type BulkMessageInput = z.input<typeof BulkMessage>;

/** Many different messages (each with its own receiver and texts) and dynamics: any number, split as needed. */
export interface SendBulkInput {
  messages?: BulkMessageInput[];
  dynamics?: SendDynamicInput[];
}

/** Filters and paging of `listMessages`; newest first. */
export interface ListMessagesQuery {
  /** Only messages of this company. */
  companyID?: IdentifierValue;
  /** true: only unread; false: only read; absent: both. */
  unread?: boolean;
  typeID?: MessageTypeId;
  /** 1-100. Default 20 (the api's). */
  limit?: number;
  /** false (default): the inbox; true: the archive. */
  archived?: boolean;
  /** The previous page's `nextCursor`: the next older page. */
  before?: RecordId;
  /** The next newer page: the messages right after this id (then the page's `nextCursor`). */
  after?: RecordId;
}
