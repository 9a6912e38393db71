import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import Database from 'better-sqlite3';
import type { Job } from 'bullmq';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { type ApiClient, closeAllPages, openStackQueue, startStack, waitUntil, type Stack } from '@notify/testing';

// Fault 4 (docs/contract.md, Guarantees): the store refuses writes. The api keeps accepting (it only enqueues),
// the worker retries each job with its backoff, and after the last attempt the job lands in the
// failed set with the reason, where it can be retried once the store is back.
//
// How writes are made to fail, for real, as root: `chmod 0444` does not stop root, but the ext4
// immutable flag (`chattr +i`, CAP_LINUX_IMMUTABLE) does, even through file descriptors opened
// before it was set: the worker's next write to the WAL fails with EPERM (SQLITE_IOERR_WRITE).
// Where chattr is not available (not root, or a filesystem without the flag, e.g. tmpfs), the
// test holds SQLite's write lock from another connection instead: every write then fails with
// SQLITE_BUSY after the store's 5 s busy timeout (slower, same path through the worker).

interface WriteFailure {
  how: string;
  restore(): void;
}

/** `STORE_FAILURE_INJECTION=lock` forces the fallback, to check it where chattr works. */
function breakStoreWrites(dbPath: string): WriteFailure {
  const files = [dbPath, `${dbPath}-wal`].filter((file) => existsSync(file));
  try {
    if (process.env.STORE_FAILURE_INJECTION === 'lock') throw new Error('STORE_FAILURE_INJECTION=lock');
    execFileSync('chattr', ['+i', ...files], { stdio: 'pipe' });
    return {
      how: `chattr +i ${files.length} files (immutable: writes fail with EPERM, root included)`,
      restore: () => execFileSync('chattr', ['-i', ...files], { stdio: 'pipe' }),
    };
  } catch (error) {
    const holder = new Database(dbPath);
    holder.exec('BEGIN IMMEDIATE');
    return {
      how: `write lock held by another connection (chattr unavailable: ${(error as Error).message.split('\n')[0]})`,
      restore: () => {
        holder.exec('ROLLBACK');
        holder.close();
      },
    };
  }
}

describe('the store refuses every write', () => {
  let stack: Stack;
  let api: ApiClient;
  let failure: WriteFailure | undefined;

  beforeAll(async () => {
    stack = await startStack({ env: { WORKER_CONCURRENCY: '5' } });
    api = stack.client;
  });
  afterEach(closeAllPages);
  afterAll(async () => {
    // Always undo the injection, or the stack's temporary files could not even be removed.
    failure?.restore();
    failure = undefined;
    await stack?.stop();
  });

  it('retries the job, then fails it with the reason, while the api stays up; it can be retried once the store is back', async () => {
    const page = await stack.page('sf-1', 7);
    const warmup = await api.sendMessage({ companyID: 7, receiverID: 'sf-1', typeID: 1, title: 'before', content: '' });
    await page.waitFor('new_msg', (m) => m.id === warmup.body.ids[0], 10_000);

    failure = breakStoreWrites(stack.sqlitePath);
    console.info(`store write failure: ${failure.how}`);
    const slowFailure = failure.how.startsWith('write lock');
    const sent = await api.sendMessage({ companyID: 7, receiverID: 'sf-1', typeID: 1, title: 'doomed', content: '' });
    expect(sent.status, 'the api accepts while the store cannot write: it only enqueues').toBe(202);
    const id = sent.body.ids[0] as string;

    const queue = openStackQueue(stack);
    try {
      const job = async (): Promise<Job> => {
        const found = await queue.getJob(id);
        if (!found) throw new Error(`job ${id} is not in the queue`);
        return found;
      };
      // The worker retries on its own, with backoff (250 ms, then 500 ms, ...): three attempts come quickly.
      await waitUntil(async () => (await job()).attemptsMade >= 3, {
        timeoutMs: slowFailure ? 40_000 : 15_000,
        intervalMs: 100,
        message: 'three attempts by the worker',
      });
      const third = await job();
      expect(third.failedReason).toMatch(/SQLite|store/i);

      // Meanwhile the api serves: health, reads, more writes.
      expect((await fetch(`${stack.apiUrl}/healthz`)).status).toBe(200);
      const list = await api.request('GET', '/v1/users/sf-1/messages', { timeoutMs: 8000 });
      expect([200, 503]).toContain(list.status);
      const second = await api.sendMessage({ companyID: 7, receiverID: 'sf-1', typeID: 2, title: 'also doomed for now', content: '' });
      expect(second.status).toBe(202);

      // The remaining backoff adds up to about 8.5 minutes; promote each delayed retry to run it now
      // (what an operator can do in Bull Board), so all 12 attempts happen in seconds.
      const attempts = third.opts.attempts ?? 1;
      await waitUntil(
        async () => {
          const current = await job();
          const state = await current.getState();
          if (state === 'delayed') await current.promote().catch(() => undefined);
          return state === 'failed';
        },
        { timeoutMs: slowFailure ? 150_000 : 60_000, intervalMs: 100, message: `the job failed for good after ${attempts} attempts` },
      );
      const failed = await job();
      expect(failed.attemptsMade).toBe(attempts);
      expect(attempts).toBeGreaterThan(1);
      expect(failed.failedReason).toMatch(/SQLite|store/i);
      expect((await queue.getFailed()).map((j) => j.id)).toContain(id);
      console.info(`failed after ${failed.attemptsMade} attempts: ${failed.failedReason}`);

      // Nothing was stored or delivered for it, and the worker is still alive and serving probes.
      expect(page.events('new_msg').map((m) => m.id)).not.toContain(id);
      for (const worker of stack.workers) expect((await fetch(`${worker.url}/healthz`)).status).toBe(200);
      expect((await fetch(`${stack.apiUrl}/healthz`)).status).toBe(200);

      // The store is back: new messages flow again, and the failed job can be retried by hand.
      failure.restore();
      failure = undefined;
      // The second message is waiting out its backoff: run it now too.
      for (const delayed of await queue.getDelayed()) await delayed.promote().catch(() => undefined);
      const after = await api.sendMessage({ companyID: 7, receiverID: 'sf-1', typeID: 1, title: 'after', content: '' });
      await page.waitFor('new_msg', (m) => m.id === after.body.ids[0], 15_000);
      await page.waitFor('new_msg', (m) => m.id === second.body.ids[0], 15_000);
      await failed.retry('failed');
      const retried = await page.waitFor('new_msg', (m) => m.id === id, 15_000);
      expect(retried).toMatchObject({ title: 'doomed', receiverID: 'sf-1' });
    } finally {
      await queue.close();
    }
  });
});
