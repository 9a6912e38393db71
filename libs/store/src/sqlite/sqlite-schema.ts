import type Database from 'better-sqlite3';

/**
 * DDL of the SQLite store, safe to run on every open (every process runs it at start-up).
 *
 * `messages.seq` is the rowid, so the cap deletes a rowid range. It is deliberately not
 * AUTOINCREMENT: SQLite then numbers a row max(seq) + 1, so an ignored re-insert leaves no gap
 * and `seq > max(seq) - cap` is exactly the newest `cap` rows. The record `id` is the key every
 * query and `INSERT OR IGNORE` uses (UNIQUE). A deleted message keeps its row (`isDeleted`), so a
 * retried job cannot insert it again; every list and count leaves it out, and the message indexes
 * are partial (`WHERE isDeleted = 0`), so the queries must say `isDeleted = 0` literally.
 *
 * `inbox_counts` keeps each receiver's unread and unseen messages (neither archived nor deleted)
 * per company and type, maintained by triggers in the same transaction as every insert, change and
 * cap delete (whichever process writes). Counting rows instead cost as much as the user's backlog
 * on every new message: a 10-minute soak at 1,000 msg/s saw the worker's CPU climb until it fell
 * behind.
 */
const TABLES = `
CREATE TABLE IF NOT EXISTS messages (
  seq        INTEGER PRIMARY KEY,
  id         TEXT NOT NULL UNIQUE,
  companyID  TEXT NOT NULL,
  receiverID TEXT NOT NULL,
  senderID   TEXT,
  sender     TEXT,
  portrait   TEXT,
  typeID     INTEGER NOT NULL,
  title      TEXT NOT NULL,
  content    TEXT NOT NULL,
  url        TEXT,
  date       TEXT NOT NULL,
  isRead     INTEGER NOT NULL,
  readAt     TEXT,
  isSeen     INTEGER NOT NULL DEFAULT 0,
  seenAt     TEXT,
  isArchived INTEGER NOT NULL DEFAULT 0,
  archivedAt TEXT,
  isDeleted  INTEGER NOT NULL DEFAULT 0,
  deletedAt  TEXT
) STRICT;

CREATE TABLE IF NOT EXISTS dynamics (
  id         TEXT NOT NULL PRIMARY KEY,
  companyID  TEXT NOT NULL,
  operatorID TEXT NOT NULL,
  operator   TEXT NOT NULL,
  portrait   TEXT,
  receiver   TEXT,
  title      TEXT NOT NULL,
  content    TEXT NOT NULL,
  url        TEXT,
  objectType TEXT,
  objectID   TEXT,
  date       TEXT NOT NULL
) STRICT;
CREATE INDEX IF NOT EXISTS dynamics_company_id ON dynamics (companyID, id);
CREATE INDEX IF NOT EXISTS dynamics_object_id ON dynamics (objectType, objectID, id);
`;

/** Columns a database created before message states gets, and what its read messages become. */
const ADD_STATE_COLUMNS = `
ALTER TABLE messages ADD COLUMN isSeen INTEGER NOT NULL DEFAULT 0;
ALTER TABLE messages ADD COLUMN seenAt TEXT;
ALTER TABLE messages ADD COLUMN isArchived INTEGER NOT NULL DEFAULT 0;
ALTER TABLE messages ADD COLUMN archivedAt TEXT;
ALTER TABLE messages ADD COLUMN isDeleted INTEGER NOT NULL DEFAULT 0;
ALTER TABLE messages ADD COLUMN deletedAt TEXT;
UPDATE messages SET isSeen = 1, seenAt = readAt WHERE isRead = 1;
`;

/** What earlier versions kept, replaced by `inbox_counts` and the partial indexes. */
const DROP_EARLIER = `
DROP TRIGGER IF EXISTS unread_counts_on_insert;
DROP TRIGGER IF EXISTS unread_counts_on_read;
DROP TRIGGER IF EXISTS unread_counts_on_delete;
DROP TABLE IF EXISTS unread_counts;
DROP INDEX IF EXISTS messages_receiver_read_type_id;
`;

// A message counts as unread (unseen) while it is unread (unseen), not archived and not deleted.
const unread = (row: 'NEW' | 'OLD') => `(${row}.isRead = 0 AND ${row}.isArchived = 0 AND ${row}.isDeleted = 0)`;
const unseen = (row: 'NEW' | 'OLD') => `(${row}.isSeen = 0 AND ${row}.isArchived = 0 AND ${row}.isDeleted = 0)`;
const addToCounts = (unreadDelta: string, unseenDelta: string) => `
  INSERT INTO inbox_counts (receiverID, companyID, typeID, unread, unseen)
    VALUES (NEW.receiverID, NEW.companyID, NEW.typeID, ${unreadDelta}, ${unseenDelta})
    ON CONFLICT (receiverID, companyID, typeID) DO UPDATE SET unread = unread + excluded.unread, unseen = unseen + excluded.unseen;`;

const COUNTS_AND_INDEXES = `
CREATE TABLE IF NOT EXISTS inbox_counts (
  receiverID TEXT NOT NULL,
  companyID  TEXT NOT NULL,
  typeID     INTEGER NOT NULL,
  unread     INTEGER NOT NULL,
  unseen     INTEGER NOT NULL,
  PRIMARY KEY (receiverID, companyID, typeID)
) STRICT, WITHOUT ROWID;
CREATE TRIGGER IF NOT EXISTS inbox_counts_on_insert AFTER INSERT ON messages
  WHEN ${unread('NEW')} OR ${unseen('NEW')} BEGIN${addToCounts(unread('NEW'), unseen('NEW'))}
END;
CREATE TRIGGER IF NOT EXISTS inbox_counts_on_change AFTER UPDATE OF isRead, isSeen, isArchived, isDeleted ON messages
  WHEN ${unread('NEW')} != ${unread('OLD')} OR ${unseen('NEW')} != ${unseen('OLD')} BEGIN${addToCounts(
    `${unread('NEW')} - ${unread('OLD')}`,
    `${unseen('NEW')} - ${unseen('OLD')}`,
  )}
END;
CREATE TRIGGER IF NOT EXISTS inbox_counts_on_delete AFTER DELETE ON messages
  WHEN ${unread('OLD')} OR ${unseen('OLD')} BEGIN
  UPDATE inbox_counts SET unread = unread - ${unread('OLD')}, unseen = unseen - ${unseen('OLD')}
    WHERE receiverID = OLD.receiverID AND companyID = OLD.companyID AND typeID = OLD.typeID;
END;
CREATE INDEX IF NOT EXISTS messages_inbox ON messages (receiverID, isArchived, id) WHERE isDeleted = 0;
CREATE INDEX IF NOT EXISTS messages_inbox_by_state ON messages (receiverID, isArchived, isRead, typeID, id) WHERE isDeleted = 0;
`;

/** Fills `inbox_counts` from the messages, for a database created before that table existed. */
const COUNTS_BACKFILL = `
INSERT INTO inbox_counts (receiverID, companyID, typeID, unread, unseen)
  SELECT receiverID, companyID, typeID, SUM(isRead = 0), SUM(isSeen = 0) FROM messages
  WHERE isDeleted = 0 AND isArchived = 0 AND (isRead = 0 OR isSeen = 0)
  GROUP BY receiverID, companyID, typeID;
`;

/**
 * Creates what is missing and brings a database written by an earlier version up to date: the
 * state columns (a read message counts as seen), `inbox_counts` filled from the messages. Runs in
 * one IMMEDIATE transaction, so processes opening the file together do it once.
 */
export function applySqliteSchema(db: Database.Database): void {
  db.transaction(() => {
    const exists = (type: string, name: string) => db.prepare('SELECT 1 FROM sqlite_master WHERE type = ? AND name = ?').get(type, name) !== undefined;
    const hadMessages = exists('table', 'messages');
    const hadCounts = exists('table', 'inbox_counts');
    db.exec(TABLES);
    const columns = db.prepare<[], { name: string }>("SELECT name FROM pragma_table_info('messages')").all();
    if (hadMessages && !columns.some((column) => column.name === 'isSeen')) db.exec(ADD_STATE_COLUMNS);
    db.exec(DROP_EARLIER);
    db.exec(COUNTS_AND_INDEXES);
    if (!hadCounts) db.exec(COUNTS_BACKFILL);
  }).immediate();
}
