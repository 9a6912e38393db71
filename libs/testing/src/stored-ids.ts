import Database from 'better-sqlite3';

/**
 * The ids of every row in `table` of the SQLite file at `sqlitePath` (a stack's `sqlitePath`), read
 * with a connection of its own, opened read-only and closed again; `receiverPrefix` keeps only the
 * messages of receivers whose uid starts with it.
 */
export function storedIds(sqlitePath: string, table: 'messages' | 'dynamics' = 'messages', receiverPrefix?: string): string[] {
  const db = new Database(sqlitePath, { readonly: true });
  try {
    const rows =
      receiverPrefix === undefined
        ? db.prepare(`SELECT id FROM ${table}`).all()
        : db.prepare(`SELECT id FROM ${table} WHERE receiverID LIKE ? ESCAPE '\\'`).all(`${receiverPrefix.replace(/[\\%_]/g, '\\$&')}%`);
    return (rows as { id: string }[]).map((row) => row.id);
  } finally {
    db.close();
  }
}
