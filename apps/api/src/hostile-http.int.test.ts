import Database from 'better-sqlite3';
import { describe, expect, it } from 'vitest';
import { ApiErrorBody } from '@notify/contracts';
import { hostileCorpus, jobCounts, openStackQueue, runPool, useInProcessStack, type ApiResponse, type HostileEndpoint, type HostileRequest } from '@notify/testing';

// docs/contract.md, Guarantees: invalid input gets a 4xx with every problem listed, and nothing is stored or
// enqueued. A generated corpus (fixed seed) of 10,400 malformed, oversized, deeply nested,
// wrong-typed, unicode-edge, pollution- and injection-shaped bodies against every POST endpoint.

const SEED = 0x5eed_0004;
const PER_ENDPOINT = 2600;
const CONCURRENCY = 20;

interface Outcome {
  request: HostileRequest;
  status: number;
  body: unknown;
  ms: number;
}

/** Counts of messages and dynamics rows, read straight from the SQLite file. */
function storedRows(path: string): { messages: number; dynamics: number } {
  const db = new Database(path, { readonly: true, fileMustExist: true });
  try {
    const count = (table: string) => (db.prepare(`SELECT COUNT(*) AS n FROM ${table}`).get() as { n: number }).n;
    return { messages: count('messages'), dynamics: count('dynamics') };
  } finally {
    db.close();
  }
}

const describeOutcome = ({ request, status, body }: Outcome) =>
  `#${request.n} ${request.endpoint} ${request.label} → ${status} ${JSON.stringify(body).slice(0, 300)}`;

const ENDPOINTS: HostileEndpoint[] = ['messages', 'dynamics', 'read', 'tokens'];
let corpus: HostileRequest[] | undefined;
/** Made once: generating 10,400 requests takes seconds. */
const theCorpus = () => (corpus ??= hostileCorpus({ seed: SEED, perEndpoint: PER_ENDPOINT, endpoints: ENDPOINTS }));

// Generating and sending 10,400 requests in one process takes a while on a busy machine.
describe('a generated corpus of hostile bodies', { timeout: 180_000 }, () => {
  // The rate limit is another test's business: here every request must reach validation.
  const running = useInProcessStack({ env: { API_RATE_LIMIT: '0' } });

  const send = async (request: HostileRequest): Promise<Outcome> => {
    const headers: Record<string, string> = { ...request.headers };
    if (request.contentType !== undefined) headers['content-type'] = request.contentType;
    const started = performance.now();
    let response: ApiResponse;
    try {
      response = await running().client.request(request.method, request.path, { rawBody: request.body, headers, timeoutMs: 15_000 });
    } catch (error) {
      // A reset connection or a hang: the api did not answer, which is as bad as a 5xx.
      return { request, status: 0, body: String(error), ms: performance.now() - started };
    }
    return { request, status: response.status, body: response.body, ms: performance.now() - started };
  };

  it('is deterministic and at least 10,000 requests, all kinds represented', () => {
    const corpus = theCorpus();
    expect(corpus.length).toBeGreaterThanOrEqual(10_000);
    const again = hostileCorpus({ seed: SEED, perEndpoint: 300, endpoints: ['messages'] });
    const first = corpus.filter((r) => r.endpoint === 'messages').slice(0, 300);
    expect(again.map((r) => [r.label, r.body])).toEqual(first.map((r) => [r.label, r.body]));
    const kinds = new Set(corpus.map((r) => r.label.split(':')[0]));
    expect([...kinds].sort()).toEqual(['charset', 'deep', 'enc', 'field', 'key', 'missing', 'oversized', 'raw', 'top', 'type', 'utf8'].sort());
  });

  it('answers every one with a 4xx in the documented error shape, never 2xx or 5xx, and stores and enqueues nothing', async () => {
    const outcomes = await runPool(theCorpus(), CONCURRENCY, send);

    const byStatus = new Map<number, number>();
    for (const { status } of outcomes) byStatus.set(status, (byStatus.get(status) ?? 0) + 1);
    console.info(`hostile corpus: ${outcomes.length} requests; statuses ${JSON.stringify(Object.fromEntries(byStatus))}; slowest ${Math.round(Math.max(...outcomes.map((o) => o.ms)))} ms`);

    const crashed = outcomes.filter((o) => o.status === 0 || o.status >= 500);
    expect(crashed.slice(0, 20).map(describeOutcome), `${crashed.length} requests got 5xx or no answer`).toEqual([]);
    const accepted = outcomes.filter((o) => o.status < 400);
    expect(accepted.slice(0, 20).map(describeOutcome), `${accepted.length} invalid requests were accepted`).toEqual([]);
    const unshaped = outcomes.filter((o) => !ApiErrorBody.safeParse(o.body).success);
    expect(unshaped.slice(0, 20).map(describeOutcome), `${unshaped.length} 4xx bodies are not the documented error shape`).toEqual([]);
    // "Every problem listed": a 400 names at least one issue with a path.
    const unlisted = outcomes.filter((o) => o.status === 400 && !(ApiErrorBody.parse(o.body).error.issues?.length ?? 0));
    expect(unlisted.slice(0, 20).map(describeOutcome), `${unlisted.length} 400s list no issue`).toEqual([]);
    const oversized = outcomes.filter((o) => o.request.label.startsWith('oversized') || o.request.label === 'enc:gzip-bomb');
    expect(oversized.length).toBeGreaterThan(0);
    expect(oversized.filter((o) => o.status !== 413).map(describeOutcome)).toEqual([]);

    // Nothing reached the queue or the store.
    const queue = openStackQueue(running());
    try {
      const counts = await jobCounts(queue);
      expect(counts, 'jobs enqueued by hostile requests').toEqual(Object.fromEntries(Object.keys(counts).map((state) => [state, 0])));
    } finally {
      await queue.close();
    }
    expect(storedRows(running().sqlitePath)).toEqual({ messages: 0, dynamics: 0 });
  });

  it('is still healthy afterwards: a normal message is accepted, stored exactly as sent and delivered', async () => {
    expect((await fetch(`${running().apiUrl}/readyz`)).status).toBe(200);
    const page = await running().page('canary', 7);
    try {
      // After the login replay (it ends with unread_count): sent earlier, the canary may come replayed first.
      await page.waitFor('unread_count');
      const body = { companyID: 7, receiverID: 'canary', typeID: 1, title: 'canary', content: 'still fine' };
      const sent = await running().client.sendMessage(body);
      expect(sent.status).toBe(202);
      const live = await page.waitFor('new_msg', (m) => m.id === sent.body.ids[0], 10_000);
      // Had a pollution attempt reached Object.prototype, extra fields would show up here.
      expect(Object.keys(live).sort()).toEqual(['companyID', 'content', 'date', 'id', 'isArchived', 'isRead', 'isSeen', 'receiverID', 'title', 'typeID']);
      expect(live).toMatchObject({ ...body, companyID: '7', isRead: false });
    } finally {
      page.close();
    }
  });

  it('answers /push hostile fields with 400 "fail", never 5xx, storing nothing', async () => {
    const probe = await running().client.request('POST', '/push', { rawBody: '', headers: { 'content-type': 'application/x-www-form-urlencoded' } });
    expect(probe.status).not.toBe(404);
    const before = storedRows(running().sqlitePath);
    const corpus = hostileCorpus({ seed: SEED + 1, perEndpoint: 2000, endpoints: ['push'] });
    const outcomes = await runPool(corpus, CONCURRENCY, send);
    const crashed = outcomes.filter((o) => o.status === 0 || o.status >= 500);
    expect(crashed.slice(0, 20).map(describeOutcome), `${crashed.length} push requests got 5xx or no answer`).toEqual([]);
    // docs/api.md: `fail` (invalid input, with status 400), in plain text. A query string too long for
    // Node's HTTP parser is refused before any app code runs (431), which is fine too.
    const refusedByHttp = (o: Outcome) => o.status === 431 && o.request.label.startsWith('push:query');
    const notFail = outcomes.filter((o) => !refusedByHttp(o) && (o.status !== 400 || String(o.body).trim() !== 'fail'));
    expect(notFail.slice(0, 20).map(describeOutcome), `${notFail.length} push requests not answered 400 fail`).toEqual([]);
    expect(storedRows(running().sqlitePath)).toEqual(before);
    const queue = openStackQueue(running());
    try {
      // The canary above is the only job there ever was.
      const counts = await jobCounts(queue);
      expect(Object.values(counts).reduce((a, b) => a + b, 0)).toBeLessThanOrEqual(1);
    } finally {
      await queue.close();
    }
  });
});
