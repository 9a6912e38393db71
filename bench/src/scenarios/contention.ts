import { gatewayUrl, type BenchContext } from '../bench-context.js';
import { LatencyHistogram, type LatencySummary } from '../latency-histogram.js';
import { mintTokens, pagesByAgent, usersWithTabs } from '../page-plan.js';

const GROUP = 'contention';
const USERS = 100;
/** How often each page marks all its messages read. */
const READ_EVERY_MS = 200;
/** Messages in flight end to end while the pages read: the worker writes as fast as it can. */
const WINDOW = 200;

export interface ContentionMeasurement {
  pages: number;
  durationS: number;
  /** Messages accepted meanwhile (the worker's writes). */
  messages: number;
  /** `read {all: true}` requests answered, and refused or unanswered. */
  reads: number;
  readsFailed: number;
  /** `read` sent → acked. */
  readAckMs: LatencySummary;
  /** The gateway's event-loop delay over the phase (prom-client's `nodejs_eventloop_lag_*`). */
  gatewayLoopP99Ms: number;
  gatewayLoopMaxMs: number;
  /**
   * The control phase before it: the same messages stored flat out to the same open pages, which
   * do not mark anything read, so the gateway writes nothing. What the phase adds to this is the
   * gateway's own store writes; this much is the machine's load.
   */
  control: { messages: number; gatewayLoopP99Ms: number; gatewayLoopMaxMs: number };
}

/**
 * Write contention: the worker stores messages flat out while every page marks its messages read
 * every 200 ms, so the gateway's writes keep meeting the worker's at the store (SQLite: one write
 * lock for every process). Reports how long the gateway's event loop was held up meanwhile, and
 * in a control phase before it, with the same messages and no reads.
 */
export async function runContention(ctx: BenchContext): Promise<ContentionMeasurement> {
  const { options, pool, bench } = ctx;
  const agents = pool.agents.length;
  const users = usersWithTabs('wc', USERS, (index) => `wcc${index % 10}`, agents);
  const tokens = await mintTokens(bench.stack.client, users);
  const pages = pagesByAgent(users, tokens, agents);
  const url = gatewayUrl(bench);
  await Promise.all(pool.agents.map((agent, index) => agent.call({ cmd: 'connect', group: GROUP, url, pages: pages[index] ?? [], auth: 'token', readyEvent: 'session', concurrency: 20, timeoutMs: 10_000 })));
  try {
    const durationMs = options.durationS * 1000;
    ctx.log(`write contention: ${pages.flat().length} pages marking read every ${READ_EVERY_MS} ms while messages are stored flat out (${options.store})`);
    const transport = { kind: 'http', url: bench.stack.apiUrl, apiKey: bench.stack.apiKey } as const;
    const spec = { transport, targets: { kind: 'own-users' }, pace: { kind: 'window', size: Math.max(1, Math.round(WINDOW / agents)) }, durationMs, payloadBytes: options.payloadBytes } as const;
    const drive = () => Promise.all(pool.agents.map((agent) => agent.call({ cmd: 'drive', group: GROUP, spec })));
    const accepted = (drives: { accepted: number }[]) => drives.reduce((sum, { accepted: n }) => sum + n, 0);

    // Each scrape starts a measurement: prom-client resets its event-loop histogram on every scrape.
    await eventLoopLag(url);
    const controlDrives = await drive();
    const controlLoop = await eventLoopLag(url);
    ctx.log(`write contention, control (no reads): gateway event-loop delay p99 ${controlLoop.p99Ms} ms`);

    const [drives, churns] = await Promise.all([
      drive(),
      Promise.all(pool.agents.map((agent) => agent.call({ cmd: 'churn', group: GROUP, everyMs: READ_EVERY_MS, durationMs }))),
    ]);
    const loop = await eventLoopLag(url);
    const acks = LatencyHistogram.from(churns.map((churn) => churn.acks));
    return {
      pages: pages.flat().length,
      durationS: options.durationS,
      messages: accepted(drives),
      reads: acks.summary().count,
      readsFailed: churns.reduce((sum, churn) => sum + churn.failed, 0),
      readAckMs: acks.summary(),
      gatewayLoopP99Ms: loop.p99Ms,
      gatewayLoopMaxMs: loop.maxMs,
      control: { messages: accepted(controlDrives), gatewayLoopP99Ms: controlLoop.p99Ms, gatewayLoopMaxMs: controlLoop.maxMs },
    };
  } finally {
    await pool.all({ cmd: 'disconnect', group: GROUP });
  }
}

/** The gateway's event-loop delay since the last scrape, p99 and max, in ms. */
async function eventLoopLag(url: string): Promise<{ p99Ms: number; maxMs: number }> {
  const response = await fetch(`${url}/metrics`, { signal: AbortSignal.timeout(5000) });
  const text = await response.text();
  const seconds = (name: string) => Number(new RegExp(`^${name}(?:\\{[^}]*\\})? (\\S+)$`, 'm').exec(text)?.[1] ?? Number.NaN);
  const ms = (value: number) => Math.round(value * 10_000) / 10;
  return { p99Ms: ms(seconds('nodejs_eventloop_lag_p99_seconds')), maxMs: ms(seconds('nodejs_eventloop_lag_max_seconds')) };
}
