import Database from 'better-sqlite3';
import { describeWorkerSigkill } from '../support/worker-sigkill-drill.js';

// Fault 1 on SQLite: 5,000 messages to 50 users, a worker killed mid-stream.
describeWorkerSigkill('a worker killed mid-stream of 5,000 messages', {
  users: 50,
  batches: 100,
  async storedIds(stack) {
    const db = new Database(stack.sqlitePath, { readonly: true });
    try {
      return (db.prepare('SELECT id FROM messages').all() as { id: string }[]).map((row) => row.id);
    } finally {
      db.close();
    }
  },
});
