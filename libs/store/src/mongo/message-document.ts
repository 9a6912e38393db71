import { recordIdTime, type Message, type MessageChange, type MessageTypeId } from '@notify/contracts';
import type { Filter } from 'mongodb';

/**
 * The time of a state a message is not in (`readAt` of an unread message, `seenAt` of an unseen
 * one…). Every message is inserted with every state flag and its Date already present, because an
 * update of a capped collection may not change a document's size: flipping a boolean and
 * overwriting one 8-byte BSON Date with another keeps the document byte-for-byte the same length,
 * where adding a field or storing the contract's ISO string (of varying length) would not. The
 * epoch stands for "not in that state".
 */
export const NOT_SET = new Date(0);

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
  /** When it was marked read; {@link NOT_SET} until then. */
  readAt: Date;
  isSeen: boolean;
  /** When it was seen (or read); {@link NOT_SET} until then. */
  seenAt: Date;
  isArchived: boolean;
  archivedAt: Date;
  /** A deleted message stays, hidden, until retention drops it, so a retried job cannot bring it back. */
  isDeleted: boolean;
  deletedAt: Date;
  /**
   * Who added its insertion to the counters (`inbox_counts`): {@link NOT_SET} from insertion until
   * an attempt at storing it claims it with a token of its own (a random far-future Date: 8 bytes,
   * like the placeholder, so a capped collection allows it), so that a job retried after a crash
   * in between, or racing its first try, still counts it exactly once. Absent on messages stored
   * before the counters existed (they are counted when the counters are made).
   */
  countClaim?: Date;
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
    readAt: dateOrNotSet(message.readAt),
    isSeen: message.isSeen,
    seenAt: dateOrNotSet(message.seenAt),
    isArchived: message.isArchived,
    archivedAt: dateOrNotSet(message.archivedAt),
    isDeleted: false,
    deletedAt: NOT_SET,
    countClaim: NOT_SET,
    // Every stored id is a RecordId; the message date is only a fallback for the type checker's sake.
    acceptedAt: new Date(recordIdTime(message.id) ?? Date.parse(message.date)),
  };
  if (message.senderID !== undefined) document.senderID = message.senderID;
  if (message.sender !== undefined) document.sender = message.sender;
  if (message.portrait !== undefined) document.portrait = message.portrait;
  if (message.url !== undefined) document.url = message.url;
  return document;
}

const dateOrNotSet = (iso: string | undefined) => (iso === undefined ? NOT_SET : new Date(iso));
const isoUnlessNotSet = (date: Date) => (date.getTime() === NOT_SET.getTime() ? undefined : date.toISOString());

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
    isSeen: document.isSeen,
    isArchived: document.isArchived,
  };
  if (document.senderID != null) message.senderID = document.senderID;
  if (document.sender != null) message.sender = document.sender;
  if (document.portrait != null) message.portrait = document.portrait;
  if (document.url != null) message.url = document.url;
  const readAt = isoUnlessNotSet(document.readAt);
  if (readAt !== undefined) message.readAt = readAt;
  const seenAt = isoUnlessNotSet(document.seenAt);
  if (seenAt !== undefined) message.seenAt = seenAt;
  const archivedAt = isoUnlessNotSet(document.archivedAt);
  if (archivedAt !== undefined) message.archivedAt = archivedAt;
  return message;
}

/** The state flags a change reads and sets. */
export type MessageState = Pick<MessageDocument, 'isRead' | 'isSeen' | 'isArchived' | 'isDeleted'>;

/** The messages each change would alter (besides being the user's and not deleted). */
export const CHANGE_APPLIES_TO: Record<MessageChange, Filter<MessageDocument>> = {
  seen: { isSeen: false },
  read: { isRead: false },
  unread: { isRead: true },
  archive: { isArchived: false },
  unarchive: { isArchived: true },
  delete: {},
};

/**
 * The `$set` that applies `change` at `at` to a message in state `before`. It only overwrites
 * fixed-size fields, so a document keeps its size. Reading also marks seen, unless it was seen
 * before (then it keeps its `seenAt`).
 */
export function changeSet(change: MessageChange, at: string, before: MessageState): Partial<MessageDocument> {
  const when = new Date(at);
  switch (change) {
    case 'seen':
      return { isSeen: true, seenAt: when };
    case 'read':
      return before.isSeen ? { isRead: true, readAt: when } : { isRead: true, readAt: when, isSeen: true, seenAt: when };
    case 'unread':
      return { isRead: false, readAt: NOT_SET };
    case 'archive':
      return { isArchived: true, archivedAt: when };
    case 'unarchive':
      return { isArchived: false, archivedAt: NOT_SET };
    case 'delete':
      return { isDeleted: true, deletedAt: when };
  }
}
