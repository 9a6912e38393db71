import type { Message, MessageTypeId } from '@notify/contracts';
import { withoutNulls } from './without-nulls.js';

/** A `messages` row as bound and selected (without `seq` and the deletion columns); absent fields are NULL. */
export interface MessageRow {
  id: string;
  companyID: string;
  receiverID: string;
  senderID: string | null;
  sender: string | null;
  portrait: string | null;
  typeID: number;
  title: string;
  content: string;
  url: string | null;
  date: string;
  isRead: 0 | 1;
  readAt: string | null;
  isSeen: 0 | 1;
  seenAt: string | null;
  isArchived: 0 | 1;
  archivedAt: string | null;
}

/** The columns of {@link MessageRow}, in the order of the contracts' `Message`. */
export const MESSAGE_COLUMNS = [
  'id', 'companyID', 'receiverID', 'senderID', 'sender', 'portrait', 'typeID',
  'title', 'content', 'url', 'date', 'isRead', 'readAt', 'isSeen', 'seenAt', 'isArchived', 'archivedAt',
] as const satisfies readonly (keyof MessageRow)[];

const flag = (value: boolean): 0 | 1 => (value ? 1 : 0);

/** The row that stores `message`. */
export function messageToRow(message: Message): MessageRow {
  return {
    id: message.id,
    companyID: message.companyID,
    receiverID: message.receiverID,
    senderID: message.senderID ?? null,
    sender: message.sender ?? null,
    portrait: message.portrait ?? null,
    typeID: message.typeID,
    title: message.title,
    content: message.content,
    url: message.url ?? null,
    date: message.date,
    isRead: flag(message.isRead),
    readAt: message.readAt ?? null,
    isSeen: flag(message.isSeen),
    seenAt: message.seenAt ?? null,
    isArchived: flag(message.isArchived),
    archivedAt: message.archivedAt ?? null,
  };
}

/** The message a row stores. */
export function rowToMessage(row: MessageRow): Message {
  return {
    ...withoutNulls(row),
    // typeID was a MessageTypeId when it was written; the table holds nothing else.
    typeID: row.typeID as MessageTypeId,
    isRead: row.isRead === 1,
    isSeen: row.isSeen === 1,
    isArchived: row.isArchived === 1,
  };
}
