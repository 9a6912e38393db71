import type { MessageChange, ReadSelector } from '@notify/contracts';
import type { CompanyDynamicsQuery, ListBounds, MessageQuery, ObjectLogQuery } from '../notification-store.js';
import { DYNAMIC_COLUMNS } from './dynamic-row.js';
import { MESSAGE_COLUMNS } from './message-row.js';

/** A value bound to a `?` placeholder. */
export type SqlValue = string | number;

/** One SQL statement and the values of its `?` placeholders, in order. */
export interface SqlQuery {
  sql: string;
  params: SqlValue[];
}

type Filter = readonly [clause: string, value: SqlValue | undefined];

/** The filters whose value is present, joined with AND. */
function where(filters: readonly Filter[]): SqlQuery {
  const present = filters.filter((filter): filter is readonly [string, SqlValue] => filter[1] !== undefined);
  return { sql: present.map(([clause]) => clause).join(' AND '), params: present.map(([, value]) => value) };
}

/** The bounds of a list as filters on `id`. */
const idFilters = (bounds: ListBounds): Filter[] => [
  ['id < ?', bounds.before],
  ['id > ?', bounds.after],
  ['id >= ?', bounds.atOrAfter],
];

/** `WHERE … ORDER BY id … LIMIT ?`: every list of the port is ordered by id. */
function ordered(select: string, filters: readonly Filter[], bounds: ListBounds, fixed = ''): SqlQuery {
  const condition = where(filters);
  // SQLite reads a negative LIMIT as "no limit".
  const rows = Math.max(0, Math.trunc(bounds.limit));
  const direction = bounds.order === 'oldest' ? 'ASC' : 'DESC';
  const clauses = [fixed, condition.sql].filter(Boolean).join(' AND ');
  return { sql: `${select} WHERE ${clauses} ORDER BY id ${direction} LIMIT ?`, params: [...condition.params, rows] };
}

const SELECT_MESSAGES = `SELECT ${MESSAGE_COLUMNS.join(', ')} FROM messages`;
const SELECT_DYNAMICS = `SELECT ${DYNAMIC_COLUMNS.join(', ')} FROM dynamics`;
const flag = (value: boolean | undefined) => (value === undefined ? undefined : value ? 1 : 0);

/** Per change: what it sets (`?` is the time) and which messages it would change. */
const CHANGES: Record<MessageChange, { set: string; unless: string }> = {
  seen: { set: 'isSeen = 1, seenAt = ?', unless: 'isSeen = 0' },
  // Reading shows the message: it is seen too, from the first time it was seen or read.
  read: { set: 'isRead = 1, readAt = ?, isSeen = 1, seenAt = COALESCE(seenAt, ?)', unless: 'isRead = 0' },
  unread: { set: 'isRead = 0, readAt = NULL', unless: 'isRead = 1' },
  archive: { set: 'isArchived = 1, archivedAt = ?', unless: 'isArchived = 0' },
  unarchive: { set: 'isArchived = 0, archivedAt = NULL', unless: 'isArchived = 1' },
  delete: { set: 'isDeleted = 1, deletedAt = ?', unless: 'isDeleted = 0' },
};

/**
 * The SQL of the store's reads and changes. Each filter combination is its own statement
 * (prepared once and cached by the store), so the planner can match the indexes to it.
 */
export const sqliteQueries = {
  listMessages(query: MessageQuery): SqlQuery {
    // The page's ids come from the index alone, so only ids get sorted (not whole rows with
    // 10,000-character contents); then just those rows are read, in order, by id.
    const page = ordered(
      'SELECT id FROM messages',
      [
        ['receiverID = ?', query.receiverID],
        ['isArchived = ?', flag(query.archived)],
        ['isRead = ?', query.unread === undefined ? undefined : query.unread ? 0 : 1],
        ['typeID = ?', query.typeID],
        ['companyID = ?', query.companyID],
        ...idFilters(query),
      ],
      query,
      'isDeleted = 0',
    );
    const direction = query.order === 'oldest' ? 'ASC' : 'DESC';
    return { sql: `${SELECT_MESSAGES} WHERE id IN (${page.sql}) ORDER BY id ${direction}`, params: page.params };
  },

  /** Stored messages among `ids` (a JSON array), unless deleted. */
  storedMessages(ids: readonly string[]): SqlQuery {
    return { sql: `${SELECT_MESSAGES} WHERE id IN (SELECT value FROM json_each(?)) AND isDeleted = 0`, params: [JSON.stringify(ids)] };
  },

  /** Reads the trigger-maintained counts (see the schema): a few rows, however many messages there are. */
  counts(receiverID: string, companyID?: string): SqlQuery {
    const condition = where([
      ['receiverID = ?', receiverID],
      ['companyID = ?', companyID],
    ]);
    return {
      sql: `SELECT typeID, SUM(unread) AS unread, SUM(unseen) AS unseen FROM inbox_counts WHERE ${condition.sql} GROUP BY typeID`,
      params: condition.params,
    };
  },

  /** `UPDATE … RETURNING id`: the messages `change` changed. `at` is bound to every `?` of the change's SET. */
  changeMessages(receiverID: string, change: MessageChange, selector: ReadSelector, at: string): SqlQuery {
    const { set, unless } = CHANGES[change];
    const condition =
      'ids' in selector
        ? where([
            // `+` keeps the planner (which has no statistics) from walking all of the user's rows:
            // looking up at most 1000 ids in the unique id index is cheaper.
            ['+receiverID = ?', receiverID],
            // One statement for any number of ids: they travel as one JSON array.
            ['id IN (SELECT value FROM json_each(?))', JSON.stringify(selector.ids)],
          ])
        : where([
            ['receiverID = ?', receiverID],
            ['typeID = ?', 'typeID' in selector ? selector.typeID : undefined],
            ['id <= ?', 'upTo' in selector ? selector.upTo : undefined],
          ]);
    const setParams = Array.from(set.matchAll(/\?/g), () => at);
    return {
      sql: `UPDATE messages SET ${set} WHERE ${condition.sql} AND isDeleted = 0 AND ${unless} RETURNING id`,
      params: [...setParams, ...condition.params],
    };
  },

  listCompanyDynamics(query: CompanyDynamicsQuery): SqlQuery {
    return ordered(SELECT_DYNAMICS, [['companyID = ?', query.companyID], ...idFilters(query)], query);
  },

  listObjectLogs(query: ObjectLogQuery): SqlQuery {
    return ordered(
      SELECT_DYNAMICS,
      [
        ['objectType = ?', query.objectType],
        ['objectID = ?', query.objectID],
        // `+`: read one object's log in id order, not a whole company's log filtered by object.
        ['+companyID = ?', query.companyID],
        ...idFilters(query),
      ],
      query,
    );
  },
};
