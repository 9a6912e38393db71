import { MongoClient } from 'mongodb';
import { describe, inject } from 'vitest';
import { describeWorkerSigkill } from '../support/worker-sigkill-drill.js';

// Fault 1 on STORE=mongo (MONGO_URL's server, or the run's own FerretDB): a worker killed mid-stream
// loses nothing and stores nothing twice, counted in the stack's own database.
const server = inject('mongoServer');
if (!server.url) console.log(`STORE=mongo worker SIGKILL drill skipped: ${server.skipReason}`);

describe.skipIf(!server.url)(`on STORE=mongo (${server.label ?? server.skipReason})`, () => {
  // Smaller than the SQLite drill's 5,000: on FerretDB every unread count reads the whole collection
  // (see the README), and the worker counts each receiver's unread after every store.
  describeWorkerSigkill('a worker killed mid-stream of 600 messages', {
    store: { store: 'mongo', mongoUrl: server.url },
    users: 20,
    batches: 30,
    // FerretDB stores far slower than the api accepts (30 sends go in before the first is stored):
    // at most four sends ahead of the pages, and the kill as soon as deliveries flow.
    killAfterDelivered: 1,
    maxAhead: 80,
    async storedIds(stack) {
      const client = await new MongoClient(server.url ?? '').connect();
      try {
        const messages = client.db(stack.mongo?.dbName).collection<{ _id: string }>('messages');
        return (await messages.find({}, { projection: { _id: 1 } }).toArray()).map((document) => document._id);
      } finally {
        await client.close();
      }
    },
  });
});
