import { recordIdTime, type Message, type MessageTypeId } from '@notify/contracts';

/**
 * `readAt` of a message that has not been read. Every message is inserted with `isRead` and a
 * `readAt` Date already present, because an update of a capped collection may not change a
 * document's size: flipping a boolean and overwriting one 8-byte BSON Date with another keeps
 * the document byte-for-byte the same length, where adding a field or storing the contract's
 * ISO string (of varying length) would not. The epoch stands for "not read".
 */
export const UNREAD_READ_AT = new Date(0);

/** A message as stored in the `messages` collection. */
export interface MessageDocument {
  /** The record id. */
  _id: string;
  companyID: string;
  receiverID: string;
  senderID?: string;
  sender?: string;
  portrait?: string;
  typeID: MessageTypeId;
  title: string;
  content: string;
  url?: string;
  /** The contract's ISO string, kept exactly as accepted. */
  date: string;
  isRead: boolean;
  /** When it was marked read; {@link UNREAD_READ_AT} until then. */
  readAt: Date;
  /** When the api accepted it (the id's time): what the TTL index counts from. */
  acceptedAt: Date;
}

/** The document stored for a message. */
export function toMessageDocument(message: Message): MessageDocument {
  const document: MessageDocument = {
    _id: message.id,
    companyID: message.companyID,
    receiverID: message.receiverID,
    typeID: message.typeID,
    title: message.title,
    content: message.content,
    date: message.date,
    isRead: message.isRead,
    readAt: message.readAt === undefined ? UNREAD_READ_AT : new Date(message.readAt),
    // Every stored id is a RecordId; the message date is only a fallback for the type checker's sake.
    acceptedAt: new Date(recordIdTime(message.id) ?? Date.parse(message.date)),
  };
  if (message.senderID !== undefined) document.senderID = message.senderID;
  if (message.sender !== undefined) document.sender = message.sender;
  if (message.portrait !== undefined) document.portrait = message.portrait;
  if (message.url !== undefined) document.url = message.url;
  return document;
}

/** The `$set` that marks a message read; it only overwrites fixed-size fields (see {@link UNREAD_READ_AT}). */
export function markReadSet(readAt: string): Pick<MessageDocument, 'isRead' | 'readAt'> {
  return { isRead: true, readAt: new Date(readAt) };
}

/** The contract's Message for a stored document: `id` not `_id`, absent optional fields left out. */
export function fromMessageDocument(document: MessageDocument): Message {
  const message: Message = {
    id: document._id,
    companyID: document.companyID,
    receiverID: document.receiverID,
    typeID: document.typeID,
    title: document.title,
    content: document.content,
    date: document.date,
    isRead: document.isRead,
  };
  if (document.senderID != null) message.senderID = document.senderID;
  if (document.sender != null) message.sender = document.sender;
  if (document.portrait != null) message.portrait = document.portrait;
  if (document.url != null) message.url = document.url;
  if (document.readAt.getTime() !== UNREAD_READ_AT.getTime()) message.readAt = document.readAt.toISOString();
  return message;
}
