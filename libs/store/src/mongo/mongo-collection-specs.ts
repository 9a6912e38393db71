import type { CreateCollectionOptions, IndexDescription } from 'mongodb';
import type { MessagesRetention } from './messages-retention.js';

/** Collection of messages (bounded: capped or TTL). */
export const MESSAGES_COLLECTION = 'messages';
/** Collection of dynamics: the operation log, kept for good. */
export const DYNAMICS_COLLECTION = 'operation_log';
/** Counters of each user's unread and unseen messages, per company, type and hour (see InboxCounters). */
export const COUNTERS_COLLECTION = 'inbox_counts';

/** Index names, fixed so that explain() checks and collMod can refer to them. */
export const IndexName = {
  messagesByReceiver: 'receiverID_isDeleted_isArchived_isRead_typeID_id',
  /** The unseen half of a user's counts. */
  messagesUnseen: 'receiverID_isDeleted_isArchived_isSeen_id',
  messagesTtl: 'acceptedAt_ttl',
  dynamicsByCompany: 'companyID_id',
  dynamicsByObject: 'objectType_objectID_id',
} as const;

const SECONDS_PER_DAY = 24 * 60 * 60;

/** What one collection needs: how to create it and which indexes it must have. */
export interface CollectionSpec {
  name: string;
  /** Options of `createCollection`; only used when the collection does not exist yet. */
  createOptions: CreateCollectionOptions;
  /** Plain indexes, created together (idempotent when they already exist). */
  indexes: IndexDescription[];
  /** The TTL index, created on its own because its `expireAfterSeconds` may need a collMod. */
  ttlIndex?: IndexDescription & { name: string; expireAfterSeconds: number };
}

/** The collections and indexes the MongoDB store needs, for the given message retention. */
export function mongoCollectionSpecs(retention: MessagesRetention): { messages: CollectionSpec; dynamics: CollectionSpec } {
  // The record id is `_id`; ids are ULIDs, so `_id` order is the order the api accepted them.
  const messages: CollectionSpec = {
    name: MESSAGES_COLLECTION,
    createOptions: retention.kind === 'capped' ? cappedOptions(retention.capBytes, retention.capDocs) : {},
    indexes: [
      { name: IndexName.messagesByReceiver, key: { receiverID: 1, isDeleted: 1, isArchived: 1, isRead: 1, typeID: 1, _id: 1 } },
      { name: IndexName.messagesUnseen, key: { receiverID: 1, isDeleted: 1, isArchived: 1, isSeen: 1, _id: 1 } },
    ],
  };
  if (retention.kind === 'ttl') {
    messages.ttlIndex = {
      name: IndexName.messagesTtl,
      key: { acceptedAt: 1 },
      expireAfterSeconds: retention.ttlDays * SECONDS_PER_DAY,
    };
  }
  const dynamics: CollectionSpec = {
    name: DYNAMICS_COLLECTION,
    createOptions: {},
    indexes: [
      { name: IndexName.dynamicsByCompany, key: { companyID: 1, _id: 1 } },
      { name: IndexName.dynamicsByObject, key: { objectType: 1, objectID: 1, _id: 1 } },
    ],
  };
  return { messages, dynamics };
}

function cappedOptions(capBytes: number, capDocs: number | undefined): CreateCollectionOptions {
  // `max` without a value would be rejected by the server; no MESSAGES_CAP_DOCS means no document limit.
  return capDocs === undefined ? { capped: true, size: capBytes } : { capped: true, size: capBytes, max: capDocs };
}
