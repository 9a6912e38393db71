import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import {
  closeAllPages,
  jobCounts,
  openStackQueue,
  startStack,
  waitUntil,
  type ApiClient,
  type Page,
  type Stack,
  type StackOptions,
} from '@notify/testing';

/** One run of the worker SIGKILL drill: how big, on which store, and how to read what got stored. */
export interface WorkerSigkillDrill {
  /** The stack's store (default SQLite). */
  store?: Pick<StackOptions, 'store' | 'mongoUrl'>;
  /** Receivers, each with a page open; every batch sends each of them one message. */
  users: number;
  batches: number;
  /** Deliveries to wait for before the kill (default a fifth of the stream): the doomed worker is busy by then, and the api still accepting. */
  killAfterDelivered?: number;
  /** Every record id in the stack's store, one entry per stored row or document. */
  storedIds(stack: Stack): Promise<string[]>;
}

const LOCK_MS = 3000;

/**
 * Fault 1 (SPEC Guarantees): a worker killed with SIGKILL in the middle of a stream loses nothing
 * and stores nothing twice, and every open page gets every one of its messages. Two workers share
 * the queue; one is killed while the api is still accepting, once deliveries are flowing, and a
 * fresh worker joins during the recovery.
 */
export function describeWorkerSigkill(title: string, drill: WorkerSigkillDrill): void {
  const users = Array.from({ length: drill.users }, (_, n) => `wk-${n}`);
  const total = drill.users * drill.batches;
  const killAfterDelivered = drill.killAfterDelivered ?? total / 5;

  describe(title, () => {
    let stack: Stack;
    let api: ApiClient;

    beforeAll(async () => {
      // A short lock makes the dead worker's active jobs stall, and be taken over, within seconds.
      stack = await startStack({
        ...drill.store,
        workers: 2,
        env: { WORKER_LOCK_DURATION_MS: String(LOCK_MS), WORKER_CONCURRENCY: '25', API_RATE_LIMIT: '0' },
      });
      api = stack.client;
    });
    afterEach(closeAllPages);
    afterAll(() => stack?.stop());

    it('loses none, stores none twice, delivers all', async () => {
      const pages = new Map<string, Page>();
      for (const uid of users) pages.set(uid, await stack.page(uid, 'wk'));
      const delivered = () => [...pages.values()].reduce((sum, page) => sum + new Set(page.events('new_msg').map((m) => m.id)).size, 0);

      const accepted: string[] = [];
      let killedAt = -1;
      const [doomed, survivor] = stack.workers;
      // Two senders in parallel; the kill happens from inside the stream, once deliveries are flowing.
      const sender = async (lane: number) => {
        for (let batch = lane; batch < drill.batches; batch += 2) {
          const response = await api.sendMessage({ companyID: 'wk', receiverIDs: users, typeID: (batch % 3) + 1, title: `batch ${batch}`, content: 'x' });
          expect(response.status).toBe(202);
          accepted.push(...response.body.ids);
          if (killedAt < 0 && delivered() >= killAfterDelivered) {
            killedAt = accepted.length;
            await doomed?.kill('SIGKILL');
          }
        }
      };
      await Promise.all([sender(0), sender(1)]);
      expect(killedAt, 'the kill happened while messages were still being accepted').toBeGreaterThan(0);
      expect(killedAt).toBeLessThan(total);
      expect(accepted).toHaveLength(total);
      // A fresh worker joining mid-recovery must not disturb anything either.
      await stack.addWorker();

      await waitUntil(() => delivered() === total, {
        timeoutMs: 120_000,
        intervalMs: 200,
        message: `all ${total} delivered (so far ${delivered()})`,
      });
      const duplicates = [...pages.values()].reduce((sum, page) => sum + page.events('new_msg').length, 0) - total;
      console.info(`worker killed after ${killedAt} accepted; ${duplicates} duplicate deliveries (at-least-once); survivor pid ${survivor?.pid}`);

      for (const [uid, page] of pages) {
        const got = page.events('new_msg');
        expect(got.every((m) => m.receiverID === uid), `${uid} got another user's message`).toBe(true);
        expect(new Set(got.map((m) => m.id)).size, `distinct messages delivered to ${uid}`).toBe(drill.batches);
      }

      const stored = await drill.storedIds(stack);
      expect(stored.length, 'records stored').toBe(total);
      expect(new Set(stored)).toEqual(new Set(accepted));

      const queue = openStackQueue(stack);
      try {
        await waitUntil(async () => {
          const counts = await jobCounts(queue);
          return counts.waiting === 0 && counts.active === 0 && counts.delayed === 0;
        }, { timeoutMs: 30_000, message: 'the queue drained' });
        expect((await jobCounts(queue)).failed).toBe(0);
      } finally {
        await queue.close();
      }
    });
  });
}
