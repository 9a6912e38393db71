import { describe, expect, it } from 'vitest';
import { SqliteStore } from '@notify/store';
import { type Page, useStack, waitUntil } from '@notify/testing';

// Acceptance 6: a worker killed with SIGKILL mid-stream loses nothing and stores nothing twice.
describe('worker killed while 1,000 messages are in flight', () => {
  // A short lock makes the killed worker's active jobs stall (and be retried) in seconds, not 30 s.
  const fx = useStack({ env: { WORKER_LOCK_DURATION_MS: '3000', WORKER_CONCURRENCY: '20' } });

  it('stores all 1,000 exactly once and delivers them all after a new worker starts', async () => {
    const users = Array.from({ length: 20 }, (_, n) => `crash-${n}`);
    const pages = new Map<string, Page>();
    for (const uid of users) pages.set(uid, await fx.page(uid, 77));

    const ids: string[] = [];
    for (let batch = 0; batch < 50; batch++) {
      const response = await fx.api.sendMessage({ companyID: 77, receiverIDs: users, typeID: 1, title: `batch ${batch}`, content: 'x' });
      expect(response.status).toBe(202);
      ids.push(...response.body.ids);
    }
    const delivered = () => [...pages.values()].reduce((sum, page) => sum + new Set(page.events('new_msg').map((m) => m.id)).size, 0);
    await waitUntil(() => delivered() >= 50, { timeoutMs: 30_000, message: 'the first worker started delivering' });

    const [doomed] = fx.stack.workers;
    await doomed?.kill('SIGKILL');
    expect(delivered()).toBeLessThan(1000);
    await fx.stack.addWorker();

    await waitUntil(() => delivered() === 1000, { timeoutMs: 90_000, message: 'all 1,000 delivered after the restart' });
    for (const [uid, page] of pages) {
      const got = new Set(page.events('new_msg').map((m) => m.id));
      expect(got.size, `messages delivered to ${uid}`).toBe(50);
    }

    const store = await SqliteStore.open({ path: fx.stack.sqlitePath, messagesCapRows: 1_000_000 });
    try {
      const stored = (await Promise.all(users.map((uid) => store.listMessages({ receiverID: uid, limit: 100 })))).flat();
      expect(stored).toHaveLength(1000);
      expect(new Set(stored.map((m) => m.id))).toEqual(new Set(ids));
    } finally {
      await store.close();
    }
  });
});
