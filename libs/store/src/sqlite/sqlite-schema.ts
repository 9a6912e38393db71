/**
 * DDL of the SQLite store, safe to run on every open (every process runs it at start-up).
 *
 * `messages.seq` is the rowid, so the cap deletes a rowid range. It is deliberately not
 * AUTOINCREMENT: SQLite then numbers a row max(seq) + 1, so an ignored re-insert leaves no gap
 * and `seq > max(seq) - cap` is exactly the newest `cap` rows. The record `id` is the key every
 * query and `INSERT OR IGNORE` uses (UNIQUE).
 *
 * `unread_counts` keeps each receiver's unread messages per company and type, maintained by
 * triggers in the same transaction as every insert, mark-read and cap delete (whichever process
 * writes). Counting rows instead cost as much as the user's unread backlog on every new message:
 * a 10-minute soak at 1,000 msg/s saw the worker's CPU climb until it fell behind.
 */
export const sqliteSchema = `
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
  readAt     TEXT
) STRICT;
CREATE INDEX IF NOT EXISTS messages_receiver_read_type_id ON messages (receiverID, isRead, typeID, id);

CREATE TABLE IF NOT EXISTS unread_counts (
  receiverID TEXT NOT NULL,
  companyID  TEXT NOT NULL,
  typeID     INTEGER NOT NULL,
  n          INTEGER NOT NULL,
  PRIMARY KEY (receiverID, companyID, typeID)
) STRICT, WITHOUT ROWID;
CREATE TRIGGER IF NOT EXISTS unread_counts_on_insert AFTER INSERT ON messages WHEN NEW.isRead = 0 BEGIN
  INSERT INTO unread_counts (receiverID, companyID, typeID, n) VALUES (NEW.receiverID, NEW.companyID, NEW.typeID, 1)
    ON CONFLICT (receiverID, companyID, typeID) DO UPDATE SET n = n + 1;
END;
CREATE TRIGGER IF NOT EXISTS unread_counts_on_read AFTER UPDATE OF isRead ON messages
  WHEN OLD.isRead = 0 AND NEW.isRead = 1 BEGIN
  UPDATE unread_counts SET n = n - 1
    WHERE receiverID = OLD.receiverID AND companyID = OLD.companyID AND typeID = OLD.typeID;
END;
CREATE TRIGGER IF NOT EXISTS unread_counts_on_delete AFTER DELETE ON messages WHEN OLD.isRead = 0 BEGIN
  UPDATE unread_counts SET n = n - 1
    WHERE receiverID = OLD.receiverID AND companyID = OLD.companyID AND typeID = OLD.typeID;
END;

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

/** Fills `unread_counts` from the messages, for a database created before that table existed. */
export const sqliteUnreadCountsBackfill = `
INSERT INTO unread_counts (receiverID, companyID, typeID, n)
  SELECT receiverID, companyID, typeID, COUNT(*) FROM messages WHERE isRead = 0 GROUP BY receiverID, companyID, typeID;
`;
