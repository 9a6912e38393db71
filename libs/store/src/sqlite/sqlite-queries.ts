import type { ReadSelector } from '@notify/contracts';
import type { CompanyDynamicsQuery, MessageQuery, ObjectLogQuery } from '../notification-store.js';
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

/** `WHERE … ORDER BY id DESC LIMIT ?`: every list of the port is newest first by id. */
function newestFirst(select: string, filters: readonly Filter[], limit: number): SqlQuery {
  const condition = where(filters);
  // SQLite reads a negative LIMIT as "no limit".
  const rows = Math.max(0, Math.trunc(limit));
  return { sql: `${select} WHERE ${condition.sql} ORDER BY id DESC LIMIT ?`, params: [...condition.params, rows] };
}

const SELECT_MESSAGES = `SELECT ${MESSAGE_COLUMNS.join(', ')} FROM messages`;
const SELECT_DYNAMICS = `SELECT ${DYNAMIC_COLUMNS.join(', ')} FROM dynamics`;

/**
 * The SQL of the store's reads and read-marking. Each filter combination is its own statement
 * (prepared once and cached by the store), so the planner can match the indexes to it.
 */
export const sqliteQueries = {
  listMessages(query: MessageQuery): SqlQuery {
    const isRead = query.unread === undefined ? undefined : query.unread ? 0 : 1;
    // The page's ids come from the index alone, so only ids get sorted (not whole rows with
    // 10,000-character contents); then just those rows are read, in order, by id.
    const page = newestFirst(
      'SELECT id FROM messages',
      [
        ['receiverID = ?', query.receiverID],
        ['isRead = ?', isRead],
        ['typeID = ?', query.typeID],
        ['companyID = ?', query.companyID],
        ['id < ?', query.before],
        ['id > ?', query.after],
      ],
      query.limit,
    );
    return { sql: `${SELECT_MESSAGES} WHERE id IN (${page.sql}) ORDER BY id DESC`, params: page.params };
  },

  /** Reads the trigger-maintained counts (see sqliteSchema): a few rows, however many are unread. */
  unreadCount(receiverID: string, companyID?: string): SqlQuery {
    const condition = where([
      ['receiverID = ?', receiverID],
      ['companyID = ?', companyID],
    ]);
    return { sql: `SELECT typeID, SUM(n) AS count FROM unread_counts WHERE ${condition.sql} GROUP BY typeID`, params: condition.params };
  },

  markRead(receiverID: string, selector: ReadSelector, readAt: string): SqlQuery {
    const condition =
      'ids' in selector
        ? where([
            // `+` keeps the planner (which has no statistics) from walking all of the user's
            // unread rows: looking up at most 1000 ids in the unique id index is cheaper.
            ['+receiverID = ?', receiverID],
            ['+isRead = ?', 0],
            // One statement for any number of ids: they travel as one JSON array.
            ['id IN (SELECT value FROM json_each(?))', JSON.stringify(selector.ids)],
          ])
        : where([
            ['receiverID = ?', receiverID],
            ['isRead = ?', 0],
            ['typeID = ?', 'typeID' in selector ? selector.typeID : undefined],
          ]);
    return { sql: `UPDATE messages SET isRead = 1, readAt = ? WHERE ${condition.sql}`, params: [readAt, ...condition.params] };
  },

  listCompanyDynamics(query: CompanyDynamicsQuery): SqlQuery {
    return newestFirst(
      SELECT_DYNAMICS,
      [
        ['companyID = ?', query.companyID],
        ['id < ?', query.before],
      ],
      query.limit,
    );
  },

  listObjectLogs(query: ObjectLogQuery): SqlQuery {
    return newestFirst(
      SELECT_DYNAMICS,
      [
        ['objectType = ?', query.objectType],
        ['objectID = ?', query.objectID],
        // `+`: read one object's log in id order, not a whole company's log filtered by object.
        ['+companyID = ?', query.companyID],
        ['id < ?', query.before],
      ],
      query.limit,
    );
  },
};
