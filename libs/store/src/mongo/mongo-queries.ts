import { MESSAGE_TYPE_IDS } from '@notify/contracts';
import type { ReadSelector } from '@notify/contracts';
import type { Document, Filter, Sort } from 'mongodb';
import type { CompanyDynamicsQuery, ListBounds, MessageQuery, ObjectLogQuery } from '../notification-store.js';
import type { DynamicDocument } from './dynamic-document.js';
import type { MessageDocument } from './message-document.js';
import { IndexName } from './mongo-collection-specs.js';

/** A find: filter, sort, limit and index, kept apart so the integration test can explain() exactly it. */
export interface FindShape<T> {
  filter: Filter<T>;
  sort: Sort;
  limit: number;
  /** The index to use, by name. */
  hint: string;
}

const BOTH = { $in: [false, true] } as const;

/**
 * The queries the MongoDB store runs, shaped for its indexes. The messages index is
 * `(receiverID, isDeleted, isArchived, isRead, typeID, _id)`: a list without an archived, unread or
 * type filter still names every value of each (`$in`), so the planner scans one index range per
 * combination and merges them in `_id` order (SORT_MERGE) instead of sorting the user's whole
 * mailbox in memory.
 *
 * Pages are hinted: with `sort: {_id: -1}` and a small limit the planner may otherwise pick the
 * `_id` index, which yields the order for free but walks every user's records to find these.
 */
export const mongoQueries = {
  /** One user's messages, in id order, deleted ones left out. */
  listMessages(query: MessageQuery): FindShape<MessageDocument> {
    const filter: Filter<MessageDocument> = {
      receiverID: query.receiverID,
      isDeleted: false,
      isArchived: query.archived ?? BOTH,
      isRead: query.unread === undefined ? BOTH : !query.unread,
      typeID: query.typeID ?? { $in: [...MESSAGE_TYPE_IDS] },
    };
    if (query.companyID !== undefined) filter.companyID = query.companyID;
    const idRange = idBounds(query);
    if (idRange) filter._id = idRange;
    return { filter, sort: idOrder(query), limit: query.limit, hint: IndexName.messagesByReceiver };
  },

  /**
   * One user's counted messages (unread or unseen, neither archived nor deleted) with ids in
   * [from, to), optionally of one company: what the counters count, read from the messages.
   */
  countedMessages(receiverID: string, from: string, to: string, companyID?: string): Filter<MessageDocument> {
    const filter: Filter<MessageDocument> = {
      receiverID,
      isDeleted: false,
      isArchived: false,
      $or: [{ isRead: false }, { isSeen: false }],
      _id: { $gte: from, $lt: to },
    };
    if (companyID !== undefined) filter.companyID = companyID;
    return filter;
  },

  /**
   * The messages of one user that a selector names, not deleted. Not hinted: for `ids` the `_id`
   * index is the better choice, otherwise the messages index is the only one that applies.
   */
  selected(receiverID: string, selector: ReadSelector): Filter<MessageDocument> {
    const filter: Filter<MessageDocument> = { receiverID, isDeleted: false };
    if ('ids' in selector) filter._id = { $in: selector.ids };
    else if ('typeID' in selector) filter.typeID = selector.typeID;
    else if ('upTo' in selector) filter._id = { $lte: selector.upTo };
    return filter;
  },

  /** One company's dynamics, in id order. */
  companyDynamics(query: CompanyDynamicsQuery): FindShape<DynamicDocument> {
    const filter: Filter<DynamicDocument> = { companyID: query.companyID };
    const idRange = idBounds(query);
    if (idRange) filter._id = idRange;
    return { filter, sort: idOrder(query), limit: query.limit, hint: IndexName.dynamicsByCompany };
  },

  /** One object's operation log, in id order. */
  objectLogs(query: ObjectLogQuery): FindShape<DynamicDocument> {
    const filter: Filter<DynamicDocument> = { objectType: query.objectType, objectID: query.objectID };
    if (query.companyID !== undefined) filter.companyID = query.companyID;
    const idRange = idBounds(query);
    if (idRange) filter._id = idRange;
    return { filter, sort: idOrder(query), limit: query.limit, hint: IndexName.dynamicsByObject };
  },
} as const;

const idOrder = (bounds: ListBounds): Sort => ({ _id: bounds.order === 'oldest' ? 1 : -1 });

function idBounds(bounds: ListBounds): { $lt?: string; $gt?: string; $gte?: string } | undefined {
  const range: { $lt?: string; $gt?: string; $gte?: string } = {};
  if (bounds.before !== undefined) range.$lt = bounds.before;
  if (bounds.after !== undefined) range.$gt = bounds.after;
  if (bounds.atOrAfter !== undefined) range.$gte = bounds.atOrAfter;
  return Object.keys(range).length > 0 ? range : undefined;
}
