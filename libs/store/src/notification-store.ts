import type { Dynamic, Message, MessageChange, MessageTypeId, ReadSelector, RecordId, StoredCounts } from '@notify/contracts';

/** Bounds and order shared by every list of the port. */
export interface ListBounds {
  /** At most this many items. */
  limit: number;
  /** Only ids strictly lower than this (the next page of a newest-first list). */
  before?: RecordId;
  /** Only ids strictly greater than this. */
  after?: RecordId;
  /** Only ids greater than or equal to this (the range a page already holds, for a catch-up). */
  atOrAfter?: RecordId;
  /** `newest` (default): the highest ids first; `oldest`: the lowest first (paging forward with `after`). */
  order?: 'newest' | 'oldest';
}

/** A page of one user's messages; deleted messages are never listed. */
export interface MessageQuery extends ListBounds {
  receiverID: string;
  /** Only messages of this company. */
  companyID?: string;
  /** true: only unread; false: only read; absent: both. */
  unread?: boolean;
  typeID?: MessageTypeId;
  /** true: only archived; false: only not archived; absent: both. */
  archived?: boolean;
}

/** A page of one company's dynamics. */
export interface CompanyDynamicsQuery extends ListBounds {
  companyID: string;
}

/** A page of one object's operation log. */
export interface ObjectLogQuery extends ListBounds {
  objectType: string;
  objectID: string;
  companyID?: string;
}

/**
 * Where messages and dynamics live. Every adapter passes `runStoreContract`.
 * Writes are idempotent on the record id: storing a record whose id is already there changes
 * nothing and is not an error, so a retried job never stores twice.
 */
export interface NotificationStore {
  /**
   * Stores messages (oldest dropped once the cap is reached); already-stored ids are left as they
   * are. Resolves with what is stored now for each id that is not deleted, in input order: the
   * message itself when it is new, its stored state (read, archived…) when it was already there.
   */
  insertMessages(messages: readonly Message[]): Promise<Message[]>;
  /** Stores dynamics in the operation log; already-stored ids are skipped. */
  insertDynamics(dynamics: readonly Dynamic[]): Promise<void>;
  /** One user's messages, newest first (or oldest first, see {@link ListBounds.order}). */
  listMessages(query: MessageQuery): Promise<Message[]>;
  /**
   * One user's unread and unseen messages that are neither archived nor deleted, exact,
   * optionally within one company.
   */
  counts(receiverID: string, companyID?: string): Promise<StoredCounts>;
  /**
   * Applies `change` at time `at` to the user's messages that `selector` names and that it would
   * change (`ids` of other users are ignored; deleted messages never change). Resolves with the ids
   * that changed, oldest first.
   */
  changeMessages(receiverID: string, change: MessageChange, selector: ReadSelector, at: string): Promise<RecordId[]>;
  /** One company's dynamics. */
  listCompanyDynamics(query: CompanyDynamicsQuery): Promise<Dynamic[]>;
  /** One object's operation log. */
  listObjectLogs(query: ObjectLogQuery): Promise<Dynamic[]>;
  /** Resolves when the store answers; rejects with {@link StoreUnavailableError} when it does not. */
  ping(): Promise<void>;
  /** Releases files and connections. */
  close(): Promise<void>;
}
