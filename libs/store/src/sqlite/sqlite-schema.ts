/**
 * DDL of the SQLite store, safe to run on every open (every process runs it at start-up).
 *
 * `messages.seq` is the rowid, so the cap deletes a rowid range. It is deliberately not
 * AUTOINCREMENT: SQLite then numbers a row max(seq) + 1, so an ignored re-insert leaves no gap
 * and `seq > max(seq) - cap` is exactly the newest `cap` rows. The record `id` is the key every
 * query and `INSERT OR IGNORE` uses (UNIQUE).
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
