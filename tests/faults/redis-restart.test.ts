import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { type ApiClient, closeAllPages, findJobOf, jobCounts, openStackQueue, type Page, scrapeMetrics, type Stack, startStack, storedIds, waitUntil } from '@notify/testing';

// Fault 3 (docs/contract.md, Guarantees), the one home of the Redis-down drills: Redis is stopped
// gracefully and started again on the same port (append-only file on) while a producer keeps sending. While it is down, the api answers 503
// within 2 s, never hangs; afterwards everything it answered 202 for is stored and delivered, and
// the workers and gateways resume by themselves.

const USERS = Array.from({ length: 10 }, (_, n) => `rr-${n}`);
/** The contract's bound on a 503, as the client sees it. */
const ANSWER_BOUND_MS = 2000;
/** How long after the producers stop every accepted message must be stored. */
const STORED_WITHIN_MS = 20_000;
/** How long Redis stays down. */
const DOWN_MS = 5000;

interface Sent {
  status: number | 'no answer';
  ms: number;
  at: number;
  id?: string;
  receiverID: string;
}

describe('Redis stopped and restarted mid-stream', () => {
  let stack: Stack;
  let api: ApiClient;

  beforeAll(async () => {
    // A job the worker fetched just as Redis stopped is left "active" with nobody working on it; it
    // is taken over once its lock expires and the stalled check runs (lock + up to 2 checks, about
    // 90 s at the 30 s default). A 3 s lock keeps that within the bound below.
    // The replay after the gap sends the newest REPLAY_LIMIT unread: with ~40 accepted per user, plus
    // requests answered 503 that were stored all the same, 50 can leave out one a page missed live.
    stack = await startStack({ env: { WORKER_LOCK_DURATION_MS: '3000', REPLAY_LIMIT: '500' } });
    api = stack.client;
  });
  afterEach(closeAllPages);
  afterAll(() => stack?.stop());

  it('answers 503 fast while down; loses nothing it accepted; everything resumes by itself', async () => {
    const pages = new Map<string, Page>();
    for (const uid of USERS) pages.set(uid, await stack.page(uid, 'rr'));

    const sent: Sent[] = [];
    let sending = true;
    let n = 0;
    const producer = async () => {
      while (sending) {
        const receiverID = USERS[n++ % USERS.length] as string;
        const started = Date.now();
        try {
          const response = await api.sendMessage(
            { companyID: 'rr', receiverID, typeID: 1, title: `m${n}`, content: '' },
            {},
            AbortSignal.timeout(5000),
          );
          sent.push({ status: response.status, ms: Date.now() - started, at: started, id: response.body.ids?.[0], receiverID });
        } catch {
          sent.push({ status: 'no answer', ms: Date.now() - started, at: started, receiverID });
        }
        await new Promise((resolve) => setTimeout(resolve, 10));
      }
    };
    const producers = Promise.all([producer(), producer(), producer(), producer()]);
    const accepted = () => sent.filter((s) => s.status === 202).length;

    await waitUntil(() => accepted() >= 200, { timeoutMs: 20_000, message: '200 accepted before the outage' });
    const stoppedAt = Date.now();
    await stack.redis.stop();
    const downAt = Date.now();
    // Down for 5 s (several reconnect attempts of every process), with the producers still sending.
    await waitUntil(() => Date.now() - downAt >= DOWN_MS && sent.filter((s) => s.at > downAt && s.status === 503).length >= 20, {
      timeoutMs: 20_000,
      message: '20 requests answered 503 while Redis is down',
    });
    const readyWhileDown = await fetch(`${stack.apiUrl}/readyz`, { signal: AbortSignal.timeout(5000) });
    expect(readyWhileDown.status).toBe(503);
    await stack.redis.restart();
    const upAt = Date.now();
    await waitUntil(() => sent.filter((s) => s.at > upAt && s.status === 202).length >= 200, {
      timeoutMs: 30_000,
      message: '200 accepted after the restart',
    });
    sending = false;
    await producers;

    const during = sent.filter((s) => s.at >= stoppedAt && s.at < upAt);
    const statuses = [...new Set(sent.map((s) => s.status))];
    const slowest503 = Math.max(...sent.filter((s) => s.status === 503).map((s) => s.ms));
    const firstOkAfter = Math.min(...sent.filter((s) => s.at > upAt && s.status === 202).map((s) => s.at)) - upAt;
    console.info(
      `redis restart: ${sent.length} requests, ${accepted()} accepted, ${sent.filter((s) => s.status === 503).length} × 503 (slowest ${slowest503} ms), ` +
        `${during.length} sent while down; first 202 ${firstOkAfter} ms after Redis was back; statuses ${statuses.join(',')}`,
    );
    // Only 202 and 503, never a hang or another error.
    expect(sent.filter((s) => s.status !== 202 && s.status !== 503).map((s) => `${s.status} after ${s.ms} ms`)).toEqual([]);
    expect.soft(sent.filter((s) => s.status === 503 && s.ms > ANSWER_BOUND_MS).map((s) => `503 after ${s.ms} ms`)).toEqual([]);

    const ids = sent.filter((s) => s.status === 202).map((s) => s.id as string);
    // Stored: every accepted id, once. (Some requests answered 503 may have been enqueued after
    // all, so there can be more rows than 202s: only the accepted ids are promised.)
    const notStored = () => {
      const stored = new Set(storedIds(stack.sqlitePath));
      return ids.filter((id) => !stored.has(id));
    };
    const storedWithin = await waitUntil(() => notStored().length === 0, { timeoutMs: STORED_WITHIN_MS, intervalMs: 250, message: 'every accepted message stored' }).then(
      () => true,
      () => false,
    );
    if (!storedWithin) {
      // Where are they? The job's state says which part of the pipeline held on to it.
      const queue = openStackQueue(stack);
      try {
        const states = await Promise.all(
          notStored().map(async (id) => {
            const job = await findJobOf(queue, id);
            const sentAt = sent.find((s) => s.id === id)?.at ?? 0;
            return `${id}: accepted ${sentAt - stoppedAt} ms relative to the stop; job ${job ? `${job.id} ${await job.getState()} attempts=${job.attemptsMade} stalled=${job.stalledCounter} failedReason=${job.failedReason}` : 'missing from Redis'}`;
          }),
        );
        console.info(`not stored within ${STORED_WITHIN_MS} ms:\n${states.join('\n')}`);
        await waitUntil(() => notStored().length === 0, { timeoutMs: 90_000, intervalMs: 500, message: 'stored later' }).then(
          () => console.info(`...stored ${Date.now() - upAt} ms after Redis came back`),
          () => console.info('...still not stored 90 s later'),
        );
      } finally {
        await queue.close();
      }
    }
    expect(notStored(), `accepted (202) but not stored within ${STORED_WITHIN_MS} ms of the end`).toEqual([]);
    expect(storedWithin, `every accepted message stored within ${STORED_WITHIN_MS} ms`).toBe(true);
    const rows = storedIds(stack.sqlitePath);
    expect(rows.length, 'no row twice').toBe(new Set(rows).size);

    // Delivered: the pages stayed open the whole time (at-least-once to open pages); any a page
    // missed must at least come with the replay at its next login (the contract: stored before published).
    const missedLive = new Map<string, string[]>();
    for (const uid of USERS) {
      const got = new Set(pages.get(uid)!.events('new_msg').map((m) => m.id));
      const missing = sent.filter((s) => s.receiverID === uid && s.status === 202 && !got.has(s.id as string)).map((s) => s.id as string);
      if (missing.length > 0) missedLive.set(uid, missing);
    }
    const disconnected = USERS.filter((uid) => pages.get(uid)!.connections > 1 || !pages.get(uid)!.socket.connected);
    console.info(`pages disconnected by the outage: ${disconnected.length}; messages missed live: ${[...missedLive.values()].flat().length}`);
    for (const [uid, missing] of missedLive) {
      const relogin = await stack.page(uid, 'rr', { timeoutMs: 10_000 });
      await relogin.waitFor('unread_count', undefined, 10_000);
      const replayed = new Set(relogin.events('new_msg').map((m) => m.id));
      expect(missing.filter((id) => !replayed.has(id)), `${uid}: missed live and not replayed`).toEqual([]);
      relogin.close();
    }
    // Beyond the contract's "live or at the next login": the open page itself gets every message, live or
    // in the replay the gateway sends once it is subscribed again (a worker may publish before then).
    expect([...missedLive].map(([uid, missing]) => `${uid}: ${missing.length} missed live`), 'open pages get every message').toEqual([]);

    // Everything resumed by itself.
    for (const app of [stack.api, ...stack.workers, ...stack.gateways]) {
      await waitUntil(async () => (await fetch(`${app.url}/readyz`)).status === 200, { timeoutMs: 10_000, message: `${app.name} ready` });
    }
    const fresh = await api.sendMessage({ companyID: 'rr', receiverID: 'rr-0', typeID: 1, title: 'after', content: '' });
    expect(fresh.status).toBe(202);
    await pages.get('rr-0')!.waitFor('new_msg', (m) => m.id === fresh.body.ids[0], 10_000);
    // The four producers' messages went out in batch jobs (several within ENQUEUE_INTERVAL_MS), so
    // what held above held for jobs that carry several records.
    const batches = (await Promise.all(stack.workers.map(async (worker) => (await scrapeMetrics(worker.url)).get('notify_worker_jobs_completed_total', { job: 'batch' })))).reduce((a, b) => a + b, 0);
    console.info(`batch jobs completed: ${batches}`);
    expect(batches).toBeGreaterThan(0);
  });
});

// The same bound when Redis does not refuse but hangs (SIGSTOP: connections stay open, nothing
// answers), which is what a request in flight at the moment Redis goes away runs into.
describe('Redis hanging (SIGSTOP)', () => {
  let stack: Stack;
  let api: ApiClient;
  let frozen = false;

  beforeAll(async () => {
    stack = await startStack();
    api = stack.client;
  });
  afterAll(async () => {
    if (frozen) process.kill(stack.redis.pid, 'SIGCONT');
    await stack?.stop();
  });

  it('answers every request that needs Redis with 503 within 2 s, and recovers when Redis does', async () => {
    const page = await stack.page('hang', 7);
    process.kill(stack.redis.pid, 'SIGSTOP');
    frozen = true;
    const timed = async (what: string, call: () => Promise<{ status: number }>) => {
      const started = Date.now();
      const response = await call().catch((error: Error) => ({ status: `no answer (${error.name})` as const }));
      return { what, status: response.status, ms: Date.now() - started };
    };
    const message = { companyID: 7, receiverID: 'hang', typeID: 1, title: 'x', content: '' };
    const answers = await Promise.all([
      ...Array.from({ length: 5 }, (_, n) => timed(`POST /v1/messages #${n}`, () => api.sendMessage(message, {}, AbortSignal.timeout(5000)))),
      timed('POST /v1/dynamics', () => api.sendDynamic({ companyID: 7, operatorID: 1, operator: 'O', title: 'x', content: '' }, {}, AbortSignal.timeout(5000))),
      timed('GET /v1/companies/7/online', () => api.request('GET', '/v1/companies/7/online', { timeoutMs: 5000 })),
      timed('POST /v1/messages with Idempotency-Key', () => api.sendMessage(message, { 'idempotency-key': 'hang-1' }, AbortSignal.timeout(5000))),
      timed('GET /readyz', () => fetch(`${stack.apiUrl}/readyz`, { signal: AbortSignal.timeout(5000) })),
    ]);
    console.info(`while Redis hangs: ${answers.map((a) => `${a.what} → ${a.status} in ${a.ms} ms`).join('; ')}`);
    expect(answers.filter((a) => a.status !== 503).map((a) => `${a.what} → ${a.status}`)).toEqual([]);
    expect(answers.filter((a) => a.ms > ANSWER_BOUND_MS).map((a) => `${a.what} answered after ${a.ms} ms`)).toEqual([]);

    process.kill(stack.redis.pid, 'SIGCONT');
    frozen = false;
    await waitUntil(async () => (await api.sendMessage(message)).status === 202, { timeoutMs: 15_000, message: 'the api accepts again' });
    await page.waitFor('new_msg', undefined, 15_000);
  });
});

// Messages the api accepted before Redis went away are still in its queue (append-only file) and
// are stored and delivered once Redis is back. No worker runs until then, so every one of them was
// still waiting in Redis when it stopped: the check cannot pass on messages already delivered.
describe('accepted, still queued when Redis stops', () => {
  let stack: Stack;

  beforeAll(async () => {
    stack = await startStack({ workers: 0 });
  });
  afterEach(closeAllPages);
  afterAll(() => stack?.stop());

  it('is stored once and delivered to the open page after Redis restarts', async () => {
    const page = await stack.page('queued', 7);
    const ids: string[] = [];
    for (let n = 0; n < 20; n += 1) {
      const sent = await stack.client.sendMessage({ companyID: 7, receiverID: 'queued', typeID: 1, title: `before ${n}`, content: '' });
      expect(sent.status).toBe(202);
      ids.push(sent.body.ids[0] as string);
    }
    const queue = openStackQueue(stack);
    try {
      expect((await jobCounts(queue)).waiting).toBe(20);
    } finally {
      await queue.close();
    }

    await stack.redis.stop();
    const down = await stack.client.sendMessage({ companyID: 7, receiverID: 'queued', typeID: 1, title: 'down', content: '' }, {}, AbortSignal.timeout(5000));
    expect(down.status).toBe(503);
    expect(down.body).toMatchObject({ error: { code: 'unavailable' } });
    expect((await fetch(`${stack.apiUrl}/readyz`, { signal: AbortSignal.timeout(5000) })).status).toBe(503);

    await stack.redis.restart();
    await waitUntil(async () => (await fetch(`${stack.apiUrl}/readyz`)).status === 200, { timeoutMs: 15_000, message: 'api ready again' });
    await stack.addWorker();
    await waitUntil(() => ids.every((id) => page.events('new_msg').some((m) => m.id === id)), {
      timeoutMs: 30_000,
      message: 'every message accepted before the outage reaches the open page',
    });
    expect(storedIds(stack.sqlitePath).sort()).toEqual([...ids].sort());
  });
});
