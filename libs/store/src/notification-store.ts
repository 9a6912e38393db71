import type { Dynamic, Message, MessageTypeId, ReadSelector, RecordId, UnreadCount } from '@notify/contracts';

/** A page of one user's messages, newest first (by id). */
export interface MessageQuery {
  receiverID: string;
  /** Only messages of this company. */
  companyID?: string;
  /** true: only unread; false: only read; absent: both. */
  unread?: boolean;
  typeID?: MessageTypeId;
  /** At most this many items. */
  limit: number;
  /** Only ids strictly lower than this (the next page of a newest-first list). */
  before?: RecordId;
  /** Only ids strictly greater than this (replay `since`). */
  after?: RecordId;
}

/** A page of one company's dynamics, newest first. */
export interface CompanyDynamicsQuery {
  companyID: string;
  limit: number;
  before?: RecordId;
}

/** A page of one object's operation log, newest first. */
export interface ObjectLogQuery {
  objectType: string;
  objectID: string;
  companyID?: string;
  limit: number;
  before?: RecordId;
}

/**
 * Where messages and dynamics live. Every adapter passes `runStoreContract`.
 * Writes are idempotent on the record id: storing a record whose id is already there changes
 * nothing and is not an error, so a retried job never stores twice.
 */
export interface NotificationStore {
  /** Stores messages (oldest dropped once the cap is reached); already-stored ids are skipped. */
  insertMessages(messages: readonly Message[]): Promise<void>;
  /** Stores dynamics in the operation log; already-stored ids are skipped. */
  insertDynamics(dynamics: readonly Dynamic[]): Promise<void>;
  /** One user's messages, newest first. */
  listMessages(query: MessageQuery): Promise<Message[]>;
  /** One user's unread messages, exact, optionally within one company. */
  unreadCount(receiverID: string, companyID?: string): Promise<UnreadCount>;
  /**
   * Marks one user's unread messages read (`ids` not belonging to the user are ignored) and
   * stamps `readAt`. Returns how many changed from unread to read.
   */
  markRead(receiverID: string, selector: ReadSelector, readAt: string): Promise<number>;
  /** One company's dynamics, newest first. */
  listCompanyDynamics(query: CompanyDynamicsQuery): Promise<Dynamic[]>;
  /** One object's operation log, newest first. */
  listObjectLogs(query: ObjectLogQuery): Promise<Dynamic[]>;
  /** Resolves when the store answers; rejects with {@link StoreUnavailableError} when it does not. */
  ping(): Promise<void>;
  /** Releases files and connections. */
  close(): Promise<void>;
}
