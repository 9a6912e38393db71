import { storedIds } from '@notify/testing';
import { describeWorkerSigkill } from '../support/worker-sigkill-drill.js';

// Fault 1 on SQLite: 5,000 messages to 50 users, a worker killed mid-stream.
describeWorkerSigkill('a worker killed mid-stream of 5,000 messages', {
  users: 50,
  batches: 100,
  async storedIds(stack) {
    return storedIds(stack.sqlitePath);
  },
});
