import { MESSAGE_TYPE_IDS } from '@notify/contracts';
import type { ReadSelector, RecordId } from '@notify/contracts';
import type { Document, Filter, Sort } from 'mongodb';
import type { CompanyDynamicsQuery, MessageQuery, ObjectLogQuery } from '../notification-store.js';
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

const NEWEST_FIRST = { _id: -1 } as const;

/**
 * The queries the MongoDB store runs, shaped for its indexes. The messages index is
 * `(receiverID, isRead, typeID, _id)`: a list without an unread or type filter still names every
 * value of both (`$in`), so the planner scans one index range per value and merges them in `_id`
 * order (SORT_MERGE) instead of sorting the user's whole mailbox in memory.
 *
 * Pages are hinted: with `sort: {_id: -1}` and a small limit the planner may otherwise pick the
 * `_id` index, which yields the order for free but walks every user's records to find these.
 */
export const mongoQueries = {
  /** One user's messages, newest first. */
  listMessages(query: MessageQuery): FindShape<MessageDocument> {
    const filter: Filter<MessageDocument> = {
      receiverID: query.receiverID,
      isRead: query.unread === undefined ? { $in: [false, true] } : !query.unread,
      typeID: query.typeID ?? { $in: [...MESSAGE_TYPE_IDS] },
    };
    if (query.companyID !== undefined) filter.companyID = query.companyID;
    const idRange = idBounds(query.before, query.after);
    if (idRange) filter._id = idRange;
    return { filter, sort: NEWEST_FIRST, limit: query.limit, hint: IndexName.messagesByReceiver };
  },

  /** One user's unread messages counted per type; `_id` of each group is the typeID. */
  unreadCount(receiverID: string, companyID?: string): Document[] {
    const match: Filter<MessageDocument> = { receiverID, isRead: false };
    if (companyID !== undefined) match.companyID = companyID;
    return [{ $match: match }, { $group: { _id: '$typeID', count: { $sum: 1 } } }];
  },

  /**
   * The unread messages of one user that a read selector names. Not hinted: for `ids` the `_id`
   * index is the better choice, otherwise the messages index is the only one that applies.
   */
  markRead(receiverID: string, selector: ReadSelector): Filter<MessageDocument> {
    const filter: Filter<MessageDocument> = { receiverID, isRead: false };
    if ('ids' in selector) filter._id = { $in: selector.ids };
    else if ('typeID' in selector) filter.typeID = selector.typeID;
    return filter;
  },

  /** One company's dynamics, newest first. */
  companyDynamics(query: CompanyDynamicsQuery): FindShape<DynamicDocument> {
    const filter: Filter<DynamicDocument> = { companyID: query.companyID };
    const idRange = idBounds(query.before, undefined);
    if (idRange) filter._id = idRange;
    return { filter, sort: NEWEST_FIRST, limit: query.limit, hint: IndexName.dynamicsByCompany };
  },

  /** One object's operation log, newest first. */
  objectLogs(query: ObjectLogQuery): FindShape<DynamicDocument> {
    const filter: Filter<DynamicDocument> = { objectType: query.objectType, objectID: query.objectID };
    if (query.companyID !== undefined) filter.companyID = query.companyID;
    const idRange = idBounds(query.before, undefined);
    if (idRange) filter._id = idRange;
    return { filter, sort: NEWEST_FIRST, limit: query.limit, hint: IndexName.dynamicsByObject };
  },
} as const;

function idBounds(before: RecordId | undefined, after: RecordId | undefined): { $lt?: string; $gt?: string } | undefined {
  if (before === undefined && after === undefined) return undefined;
  const bounds: { $lt?: string; $gt?: string } = {};
  if (before !== undefined) bounds.$lt = before;
  if (after !== undefined) bounds.$gt = after;
  return bounds;
}
