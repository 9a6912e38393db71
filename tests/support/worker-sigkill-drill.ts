import type { Queue } from 'bullmq';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import {
  closeAllPages,
  jobCounts,
  openStackQueue,
  scrapeMetrics,
  startStack,
  waitUntil,
  type ApiClient,
  type AppProcess,
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
  /** Deliveries to wait for before the kill (default a fifth of the stream): the api is still accepting by then. */
  killAfterDelivered?: number;
  /**
   * At most this many messages accepted and not yet delivered before a sender waits (default: no
   * limit). For a store far slower than the api accepts: the stream must still be going when
   * deliveries start, which is when the kill comes.
   */
  maxAhead?: number;
  /** Every record id in the stack's store, one entry per stored row or document. */
  storedIds(stack: Stack): Promise<string[]>;
}

const LOCK_MS = 3000;

/**
 * Fault 1 (Guarantees): a worker killed with SIGKILL in the middle of a stream loses nothing and
 * stores nothing twice, and every open page gets every one of its messages. The only worker is
 * killed while the api is still accepting and while it holds active jobs, batch jobs (each send
 * goes to every user, one job carrying its records, or two sends'); two new workers join (one at
 * once, one mid-recovery) and take over exactly the jobs the dead one held (a worker counts and
 * logs each stalled job it takes over).
 */
export function describeWorkerSigkill(title: string, drill: WorkerSigkillDrill): void {
  const users = Array.from({ length: drill.users }, (_, n) => `wk-${n}`);
  const total = drill.users * drill.batches;
  const killAfterDelivered = drill.killAfterDelivered ?? total / 5;

  describe(title, () => {
    let stack: Stack;
    let api: ApiClient;
    let queue: Queue;

    beforeAll(async () => {
      // A short lock makes the dead worker's active jobs stall, and be taken over, within seconds.
      stack = await startStack({
        ...drill.store,
        workers: 1,
        env: { WORKER_LOCK_DURATION_MS: String(LOCK_MS), WORKER_CONCURRENCY: '25', API_RATE_LIMIT: '0' },
      });
      api = stack.client;
      queue = openStackQueue(stack);
    });
    afterEach(closeAllPages);
    afterAll(async () => {
      await queue?.close();
      await stack?.stop();
    });

    it('loses none, stores none twice, delivers all, and the dead worker’s jobs, only those, are taken over', async () => {
      const pages = new Map<string, Page>();
      for (const uid of users) pages.set(uid, await stack.page(uid, 'wk'));
      const delivered = () => [...pages.values()].reduce((sum, page) => sum + new Set(page.events('new_msg').map((m) => m.id)).size, 0);

      const accepted: string[] = [];
      let killedAt = -1;
      /** The jobs the worker held when it was killed: the only worker, so every active job is its. */
      let heldAtKill: string[] = [];
      /** What each of those jobs carried: batch jobs, several records each (a send to every user is one). */
      let heldRecords: number[] = [];
      let heldNames: string[] = [];
      let killing: Promise<void> | undefined;
      const [doomed] = stack.workers as [AppProcess];
      /** Freezes the worker; kills it if it holds active jobs, else lets it go on (and is tried again). */
      const killIfBusy = async () => {
        process.kill(doomed.pid, 'SIGSTOP');
        // A fence: what the worker wrote before it stopped (a job's completion, say) may still be
        // unread by Redis when the first read comes in on another connection; by the second it is not.
        await queue.getActive();
        const active = await queue.getActive();
        if (active.length === 0) {
          process.kill(doomed.pid, 'SIGCONT');
          return;
        }
        heldAtKill = active.map((job) => job.id as string);
        heldRecords = active.map((job) => (job.name === 'batch' ? (job.data as { messages?: unknown[] }).messages?.length ?? 0 : 1));
        heldNames = active.map((job) => job.name);
        killedAt = accepted.length;
        await doomed.kill('SIGKILL');
        await stack.addWorker();
      };
      // Two senders in parallel; the kill happens from inside the stream, once deliveries are flowing.
      const sender = async (lane: number) => {
        for (let batch = lane; batch < drill.batches; batch += 2) {
          const { maxAhead } = drill;
          if (maxAhead !== undefined) {
            await waitUntil(() => accepted.length - delivered() < maxAhead, { timeoutMs: 120_000, intervalMs: 20, message: 'the worker catches up' });
          }
          const response = await api.sendMessage({ companyID: 'wk', receiverIDs: users, typeID: (batch % 3) + 1, title: `batch ${batch}`, content: 'x' });
          expect(response.status).toBe(202);
          accepted.push(...response.body.ids);
          if (killedAt < 0 && !killing && delivered() >= killAfterDelivered) {
            killing = killIfBusy().finally(() => (killing = undefined));
            await killing;
          }
        }
      };
      try {
        await Promise.all([sender(0), sender(1)]);
      } finally {
        // A failed send must not leave the worker frozen behind.
        if (killedAt < 0) process.kill(doomed.pid, 'SIGCONT');
      }
      expect(killedAt, 'the kill happened while messages were still being accepted').toBeGreaterThan(0);
      expect(killedAt).toBeLessThan(total);
      expect(heldAtKill.length, 'jobs the worker held when killed').toBeGreaterThan(0);
      // The worker died holding batch jobs: each carried the records of one send or more.
      expect(heldNames.every((name) => name === 'batch'), `held jobs: ${heldNames.join(', ')}`).toBe(true);
      expect(Math.min(...heldRecords), 'records in each held job').toBeGreaterThanOrEqual(drill.users);
      expect(accepted).toHaveLength(total);
      // A fresh worker joining mid-recovery must not disturb anything either.
      await stack.addWorker();

      await waitUntil(() => delivered() === total, {
        timeoutMs: 120_000,
        intervalMs: 200,
        message: `all ${total} delivered (so far ${delivered()})`,
      });
      const duplicates = [...pages.values()].reduce((sum, page) => sum + page.events('new_msg').length, 0) - total;
      console.info(
        `worker killed after ${killedAt} accepted, holding ${heldAtKill.length} batch jobs of ${heldRecords.join(', ')} records; ${duplicates} duplicate deliveries (at-least-once)`,
      );

      for (const [uid, page] of pages) {
        const got = page.events('new_msg');
        expect(got.every((m) => m.receiverID === uid), `${uid} got another user's message`).toBe(true);
        expect(new Set(got.map((m) => m.id)).size, `distinct messages delivered to ${uid}`).toBe(drill.batches);
      }
      const stored = await drill.storedIds(stack);
      expect(stored.length, 'records stored').toBe(total);
      expect(new Set(stored)).toEqual(new Set(accepted));

      // The dead worker's active jobs, and only those, were taken over: a living worker counted and logged each one.
      const living = stack.workers.filter((worker) => worker !== doomed);
      const takenOver = (await Promise.all(living.map(async (worker) => (await scrapeMetrics(worker.url)).get('notify_worker_stalled_jobs_total')))).reduce((a, b) => a + b, 0);
      const stalledLines = living.flatMap((worker) => worker.output().split('\n').filter((line) => line.includes('"job stalled')));
      const stalledIds = stalledLines.map((line) => (JSON.parse(line) as { jobId: string }).jobId);
      expect(stalledIds.sort(), 'jobs taken over').toEqual([...heldAtKill].sort());
      expect(takenOver).toBe(heldAtKill.length);

      await waitUntil(async () => {
        const counts = await jobCounts(queue);
        return counts.waiting === 0 && counts.active === 0 && counts.delayed === 0;
      }, { timeoutMs: 30_000, message: 'the queue drained' });
      expect((await jobCounts(queue)).failed).toBe(0);
    });
  });
}
