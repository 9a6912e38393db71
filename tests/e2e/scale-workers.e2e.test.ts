import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { type ApiClient, closeAllPages, type Page, runPool, scrapeMetrics, type Stack, startStack, storedIds, waitUntil } from '@notify/testing';

// docs/contract.md, Scaling out: workers share the queue and a record is stored once however many workers
// there are; lists and the login replay are in id (= acceptance) order whatever order the workers
// finished in (README: live order is the order workers finished; lists and replay are id order).

const USERS = ['w-0', 'w-1', 'w-2', 'w-3', 'w-4'];
const PER_USER = 100;

/** Sum of a counter's samples on a worker's /metrics; undefined without that metric. */
async function workerTotal(workerUrl: string, metric: string): Promise<number | undefined> {
  const samples = (await scrapeMetrics(workerUrl)).samples.filter((sample) => sample.name === metric);
  return samples.length === 0 ? undefined : samples.reduce((sum, sample) => sum + sample.value, 0);
}

/** How many adjacent pairs are out of ascending order. */
const inversions = (ids: string[]) => ids.slice(1).filter((id, n) => id < (ids[n] as string)).length;

describe('two workers sharing the queue', () => {
  let stack: Stack;
  let api: ApiClient;

  beforeAll(async () => {
    stack = await startStack({ workers: 2, env: { WORKER_CONCURRENCY: '25', REPLAY_LIMIT: String(PER_USER), API_RATE_LIMIT: '0' } });
    api = stack.client;
  });
  afterEach(closeAllPages);
  afterAll(() => stack?.stop());

  it('stores 500 messages once each, and lists and replays them in id order', async () => {
    const live = new Map<string, Page>();
    for (const uid of USERS) live.set(uid, await stack.page(uid, 'sw'));

    // One message per request, 10 in flight: ids interleave across users in acceptance order.
    const sends = Array.from({ length: USERS.length * PER_USER }, (_, n) => USERS[n % USERS.length] as string);
    const accepted = await runPool(sends, 10, async (receiverID, n) => {
      const typeID = (n % 3) + 1;
      const response = await api.sendMessage({ companyID: 'sw', receiverID, typeID, title: `n${n}`, content: '' });
      expect(response.status).toBe(202);
      return { receiverID, typeID, id: response.body.ids[0] as string };
    });
    const idsOf = (uid: string) => accepted.filter((a) => a.receiverID === uid).map((a) => a.id);

    await waitUntil(
      () => USERS.every((uid) => new Set(live.get(uid)!.events('new_msg').map((m) => m.id)).size === PER_USER),
      { timeoutMs: 60_000, message: 'every page got its 100 live' },
    );
    const liveInversions = USERS.reduce((sum, uid) => sum + inversions(live.get(uid)!.events('new_msg').map((m) => m.id)), 0);
    const perWorker = await Promise.all(stack.workers.map((worker) => workerTotal(worker.url, 'notify_worker_jobs_completed_total')));
    // A job may carry several messages (requests of one turn): the records are counted per record.
    const storedPerWorker = await Promise.all(stack.workers.map((worker) => workerTotal(worker.url, 'notify_worker_store_lag_seconds_count')));
    console.info(`live delivery: ${liveInversions} adjacent pairs out of id order; jobs completed per worker: ${perWorker.join(', ')}; records stored per worker: ${storedPerWorker.join(', ')}`);
    // Both workers took part: each exposes its job counter, and each completed some of the jobs.
    expect(perWorker).not.toContain(undefined);
    expect(perWorker.every((n) => (n as number) > 0), `jobs per worker: ${perWorker.join(', ')}`).toBe(true);
    expect(storedPerWorker.reduce((a, b) => (a ?? 0) + (b ?? 0), 0)).toBeGreaterThanOrEqual(USERS.length * PER_USER);

    // Stored once each: exactly the accepted ids, no more rows.
    const rows = storedIds(stack.sqlitePath);
    expect(rows.length).toBe(accepted.length);
    expect(new Set(rows)).toEqual(new Set(accepted.map((a) => a.id)));

    for (const uid of USERS) {
      const ids = idsOf(uid);
      // The HTTP list, newest first, paged 30 at a time.
      const listed: string[] = [];
      let before: string | null = null;
      do {
        const query: string = before ? `&before=${before}` : '';
        const page = await api.request('GET', `/v1/users/${uid}/messages?limit=30${query}`);
        listed.push(...page.body.items.map((m: { id: string }) => m.id));
        before = page.body.nextCursor;
      } while (before);
      expect(listed).toEqual([...ids].sort().reverse());
      // unread=true and typeID filters keep the order too.
      const unreadOfType = (await api.request('GET', `/v1/users/${uid}/messages?unread=true&typeID=2&limit=100`)).body.items.map((m: { id: string }) => m.id);
      const idsOfType2 = accepted.filter((a) => a.receiverID === uid && a.typeID === 2).map((a) => a.id);
      expect(unreadOfType).toEqual([...idsOfType2].sort().reverse());

      // The login replay: all 100 unread, oldest first.
      const tab = await stack.page(uid, 'sw');
      await tab.waitFor('unread_count', undefined, 10_000);
      const replayed = tab.events('new_msg').filter((m) => m.replayed);
      expect(replayed.map((m) => m.id)).toEqual([...ids].sort());
      tab.close();
    }
  });

  it('keeps a company’s operation log in id order with dynamics from both workers', async () => {
    const ids = await runPool(Array.from({ length: 120 }, (_, n) => n), 10, async (n) => {
      const response = await api.sendDynamic({ companyID: 'sw-log', operatorID: 'op', operator: 'Op', title: `d${n}`, content: '', objectType: 'doc', objectID: 'd1' });
      return response.body.id as string;
    });
    await waitUntil(async () => (await api.request('GET', '/v1/companies/sw-log/dynamics?limit=100')).body.nextCursor !== null, {
      timeoutMs: 20_000,
      message: 'more than 100 dynamics stored',
    });
    await waitUntil(
      async () => {
        const first = (await api.request('GET', '/v1/companies/sw-log/dynamics?limit=100')).body;
        const second = (await api.request('GET', `/v1/companies/sw-log/dynamics?limit=100&before=${first.nextCursor}`)).body;
        return first.items.length + second.items.length === 120;
      },
      { timeoutMs: 20_000, message: 'all 120 stored' },
    );
    const first = (await api.request('GET', '/v1/companies/sw-log/dynamics?limit=100')).body;
    const second = (await api.request('GET', `/v1/companies/sw-log/dynamics?limit=100&before=${first.nextCursor}`)).body;
    const listed = [...first.items, ...second.items].map((d: { id: string }) => d.id);
    expect(listed).toEqual([...ids].sort().reverse());
    const log = (await api.request('GET', '/v1/objects/doc/d1/logs?companyID=sw-log&limit=100')).body.items.map((d: { id: string }) => d.id);
    expect(log).toEqual([...ids].sort().reverse().slice(0, 100));
  });
});
