/**
 * Soak run: the real api, worker(s) and gateway(s) (startStack, embedded Redis + SQLite), a
 * producer in a child process sending ~1,000 messages/s for a given duration to N connected pages,
 * and every 5 s the RSS and CPU of every process, Redis memory, the BullMQ events stream length
 * and the queue's job counts. Prints a table over time and writes JSON to bench/results/.
 *
 *   npm run soak -- --duration 10m [--rate 1000] [--pages 50] [--batch 10] [--workers 1] [--gateways 1]
 *
 * Not part of `npm test`.
 */
import { fork, type ChildProcess } from 'node:child_process';
import { mkdir, writeFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import {
  ApiClient,
  jobCounts,
  openCountingPage,
  openStackQueue,
  processCpuSeconds,
  processRssBytes,
  startStack,
  type CountingPage,
  type Stack,
} from '@notify/testing';
import { createRedisConnection, redisReady } from '@notify/redis';

const here = dirname(fileURLToPath(import.meta.url));
const repoRoot = join(here, '..', '..', '..');

// ---------------------------------------------------------------------------------------------
// Options

interface SoakOptions {
  durationMs: number;
  rate: number;
  pages: number;
  batch: number;
  workers: number;
  gateways: number;
  intervalMs: number;
  drainMs: number;
  out: string;
}

/** `90s`, `10m`, `1h`, `500ms` or a bare number of seconds. */
function parseDuration(text: string): number {
  const match = /^(\d+(?:\.\d+)?)(ms|s|m|h)?$/.exec(text.trim());
  if (!match) throw new Error(`not a duration: ${text} (e.g. 90s, 10m)`);
  const unit = { ms: 1, s: 1000, m: 60_000, h: 3_600_000 }[(match[2] ?? 's') as 'ms' | 's' | 'm' | 'h'];
  return Math.round(Number(match[1]) * unit);
}

function parseOptions(argv: string[]): SoakOptions {
  const { values } = parseArgs({
    args: argv,
    options: {
      duration: { type: 'string', default: '60s' },
      rate: { type: 'string', default: '1000' },
      pages: { type: 'string', default: '50' },
      batch: { type: 'string', default: '10' },
      workers: { type: 'string', default: '1' },
      gateways: { type: 'string', default: '1' },
      interval: { type: 'string', default: '5s' },
      drain: { type: 'string', default: '60s' },
      out: { type: 'string', default: join(repoRoot, 'bench', 'results') },
      help: { type: 'boolean', default: false },
    },
  });
  if (values.help) {
    console.log('usage: npm run soak -- [--duration 60s|10m] [--rate 1000] [--pages 50] [--batch 10] [--workers 1] [--gateways 1] [--interval 5s] [--drain 60s] [--out dir]');
    process.exit(0);
  }
  const positive = (name: string, text: string) => {
    const value = Number(text);
    if (!Number.isInteger(value) || value < 1) throw new Error(`--${name} must be a positive integer, got ${text}`);
    return value;
  };
  return {
    durationMs: parseDuration(values.duration),
    rate: positive('rate', values.rate),
    pages: positive('pages', values.pages),
    batch: Math.min(1000, positive('batch', values.batch)),
    workers: positive('workers', values.workers),
    gateways: positive('gateways', values.gateways),
    intervalMs: parseDuration(values.interval),
    drainMs: parseDuration(values.drain),
    out: values.out,
  };
}

// ---------------------------------------------------------------------------------------------
// The producer (child process)

interface ProducerConfig {
  apiUrl: string;
  apiKey: string;
  rate: number;
  batch: number;
  users: string[];
  durationMs: number;
}

interface ProducerStats {
  type: 'stats';
  requests: number;
  acceptedMessages: number;
  statuses: Record<string, number>;
  /** Requests the producer was behind its schedule (api too slow, max in flight reached). */
  behind: number;
  latencyMsMax: number;
  latencyMsSum: number;
  done: boolean;
}

const MAX_IN_FLIGHT = 64;

/** Sends `rate` messages/s in requests of `batch` receivers, reporting to the parent every second. */
async function runProducer(config: ProducerConfig): Promise<void> {
  const api = new ApiClient(config.apiUrl, config.apiKey);
  const stats: ProducerStats = { type: 'stats', requests: 0, acceptedMessages: 0, statuses: {}, behind: 0, latencyMsMax: 0, latencyMsSum: 0, done: false };
  const report = () => process.send?.({ ...stats });
  const reporter = setInterval(report, 1000);
  let stopping = false;
  process.on('message', (message: { type?: string }) => {
    if (message.type === 'stop') stopping = true;
  });
  const requestsPerSecond = config.rate / config.batch;
  const started = performance.now();
  let issued = 0;
  let inFlight = 0;
  let cursor = 0;
  const sendOne = async () => {
    const receiverIDs = Array.from({ length: config.batch }, () => config.users[cursor++ % config.users.length] as string);
    const begun = performance.now();
    try {
      const response = await api.request('POST', '/v1/messages', {
        body: { companyID: 'soak', receiverIDs, typeID: 1, title: 'soak', content: 'x'.repeat(100) },
        timeoutMs: 10_000,
      });
      stats.statuses[response.status] = (stats.statuses[response.status] ?? 0) + 1;
      if (response.status === 202) stats.acceptedMessages += (response.body.ids as string[]).length;
    } catch (error) {
      const key = (error as Error).name || 'error';
      stats.statuses[key] = (stats.statuses[key] ?? 0) + 1;
    } finally {
      const ms = performance.now() - begun;
      stats.latencyMsSum += ms;
      stats.latencyMsMax = Math.max(stats.latencyMsMax, ms);
      stats.requests += 1;
      inFlight -= 1;
    }
  };
  while (!stopping && performance.now() - started < config.durationMs) {
    const due = Math.floor(((performance.now() - started) / 1000) * requestsPerSecond);
    while (issued < due && inFlight < MAX_IN_FLIGHT) {
      issued += 1;
      inFlight += 1;
      void sendOne();
    }
    stats.behind = due - issued;
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
  while (inFlight > 0) await new Promise((resolve) => setTimeout(resolve, 20));
  clearInterval(reporter);
  stats.done = true;
  report();
}

// ---------------------------------------------------------------------------------------------
// The parent: stack, pages, sampling, report

interface ProcessSample {
  rssMB: number | null;
  cpuPercent: number | null;
}

interface Sample {
  t: number;
  phase: 'load' | 'drain';
  producedMessages: number;
  producedPerSec: number;
  deliveredMessages: number;
  deliveredPerSec: number;
  lagMsP50: number | null;
  lagMsP99: number | null;
  producerBehind: number;
  queue: Record<string, number>;
  eventsStreamLength: number;
  redisUsedMB: number;
  redisRssMB: number;
  processes: Record<string, ProcessSample>;
}

const mb = (bytes: number | undefined) => (bytes === undefined ? null : Math.round((bytes / 1024 / 1024) * 10) / 10);
const percentile = (sorted: number[], p: number) => (sorted.length === 0 ? null : sorted[Math.min(sorted.length - 1, Math.floor(sorted.length * p))]!);

async function soak(options: SoakOptions): Promise<void> {
  console.log(
    `soak: ${options.rate} msg/s for ${options.durationMs / 1000} s to ${options.pages} pages (batches of ${options.batch}); ` +
      `${options.workers} worker(s), ${options.gateways} gateway(s); sampling every ${options.intervalMs / 1000} s`,
  );
  const stack: Stack = await startStack({
    workers: options.workers,
    gateways: options.gateways,
    // The soak is about memory over time, not about the per-key rate limit.
    env: { API_RATE_LIMIT: '0' },
  });
  let producer: ChildProcess | undefined;
  const pages: CountingPage[] = [];
  const interrupted = new Promise<void>((resolve) => process.once('SIGINT', () => resolve()));
  try {
    const users = Array.from({ length: options.pages }, (_, n) => `soak-${n}`);
    let lags: number[] = [];
    for (const [n, uid] of users.entries()) {
      const gateway = stack.gatewayUrls[n % stack.gatewayUrls.length] as string;
      pages.push(await openCountingPage(gateway, await stack.client.mintToken(uid, 'soak'), { onNewMessage: (m) => lags.push(Date.now() - Date.parse(m.date)) }));
    }
    const delivered = () => pages.reduce((sum, page) => sum + (page.counts.new_msg ?? 0), 0);

    const queue = openStackQueue(stack);
    const redis = createRedisConnection(stack.redis.url, { role: 'patient', connectionName: 'soak:sampler' });
    await redisReady(redis);
    const eventsKey = `${stack.env.REDIS_PREFIX}:notifications:events`;
    const processes = (): [string, number][] => [
      ['api', stack.api.pid],
      ...stack.workers.map((w, n): [string, number] => [`worker${stack.workers.length > 1 ? n + 1 : ''}`, w.pid]),
      ...stack.gateways.map((g, n): [string, number] => [`gateway${stack.gateways.length > 1 ? n + 1 : ''}`, g.pid]),
      ['redis', stack.redis.pid],
      ['producer', producer?.pid ?? -1],
      ['soak', process.pid],
    ];

    let produced = { messages: 0, behind: 0, statuses: {} as Record<string, number>, latencyMsMax: 0, requests: 0, latencyMsSum: 0 };
    let producerDone = false;
    producer = fork(fileURLToPath(import.meta.url), ['--producer'], { stdio: ['ignore', 'inherit', 'inherit', 'ipc'] });
    producer.on('message', (message) => {
      const stats = message as ProducerStats;
      produced = {
        messages: stats.acceptedMessages,
        behind: stats.behind,
        statuses: stats.statuses,
        latencyMsMax: stats.latencyMsMax,
        requests: stats.requests,
        latencyMsSum: stats.latencyMsSum,
      };
      if (stats.done) producerDone = true;
    });
    const producerExit = new Promise<void>((resolve) => producer?.once('exit', () => resolve()));
    const config: ProducerConfig = { apiUrl: stack.apiUrl, apiKey: stack.apiKey, rate: options.rate, batch: options.batch, users, durationMs: options.durationMs };
    producer.send({ type: 'start', config });

    const samples: Sample[] = [];
    const started = Date.now();
    let last = { t: 0, produced: 0, delivered: 0, cpu: new Map<string, number>() };
    const sample = async (phase: Sample['phase']): Promise<Sample> => {
      const t = (Date.now() - started) / 1000;
      const info = await redis.info('memory');
      const field = (name: string) => Number(new RegExp(`^${name}:(\\d+)`, 'm').exec(info)?.[1] ?? 0);
      const cpu = new Map<string, number>();
      const processSamples: Record<string, ProcessSample> = {};
      for (const [name, pid] of processes()) {
        const [rss, seconds] = await Promise.all([processRssBytes(pid), processCpuSeconds(pid)]);
        if (seconds !== undefined) cpu.set(name, seconds);
        const before = last.cpu.get(name);
        const cpuPercent = seconds !== undefined && before !== undefined && t > last.t ? Math.round(((seconds - before) / (t - last.t)) * 100) : null;
        processSamples[name] = { rssMB: mb(rss), cpuPercent };
      }
      const sorted = lags.sort((a, b) => a - b);
      lags = [];
      const now = { produced: produced.messages, delivered: delivered() };
      const span = Math.max(0.001, t - last.t);
      const result: Sample = {
        t: Math.round(t),
        phase,
        producedMessages: now.produced,
        producedPerSec: Math.round((now.produced - last.produced) / span),
        deliveredMessages: now.delivered,
        deliveredPerSec: Math.round((now.delivered - last.delivered) / span),
        lagMsP50: percentile(sorted, 0.5),
        lagMsP99: percentile(sorted, 0.99),
        producerBehind: produced.behind,
        queue: await jobCounts(queue),
        eventsStreamLength: await redis.xlen(eventsKey),
        redisUsedMB: mb(field('used_memory')) ?? 0,
        redisRssMB: mb(field('used_memory_rss')) ?? 0,
        processes: processSamples,
      };
      last = { t, ...now, cpu };
      samples.push(result);
      printRow(result, samples.length === 1);
      return result;
    };

    await sample('load');
    const stopAt = started + options.durationMs;
    while (Date.now() < stopAt && !producerDone) {
      const wait = Math.min(options.intervalMs, stopAt - Date.now());
      const stop = await Promise.race([new Promise((resolve) => setTimeout(() => resolve(false), wait)), interrupted.then(() => true)]);
      if (stop) {
        console.log('interrupted: stopping the producer');
        break;
      }
      if (Date.now() < stopAt) await sample('load');
    }
    producer.send({ type: 'stop' });
    await producerExit;

    // Drain: until the queue is empty and every accepted message reached its page (or time runs out).
    const drainUntil = Date.now() + options.drainMs;
    for (;;) {
      const current = await sample('drain');
      const pending = (current.queue.waiting ?? 0) + (current.queue.active ?? 0) + (current.queue.delayed ?? 0) + (current.queue.prioritized ?? 0);
      if ((pending === 0 && current.deliveredMessages >= current.producedMessages) || Date.now() > drainUntil) break;
      await new Promise((resolve) => setTimeout(resolve, Math.min(options.intervalMs, 2000)));
    }
    await queue.close();
    redis.disconnect();

    const verdict = judge(samples, produced);
    printSummary(options, samples, produced, verdict);
    await mkdir(options.out, { recursive: true });
    const file = join(options.out, `soak-${new Date().toISOString().replaceAll(/[:.]/g, '-')}.json`);
    await writeFile(file, `${JSON.stringify({ options, produced, verdict, samples }, null, 2)}\n`);
    console.log(`results: ${file}`);
    if (!verdict.redisBounded) process.exitCode = 1;
  } finally {
    producer?.kill('SIGTERM');
    for (const page of pages) page.close();
    await stack.stop();
  }
}

interface Verdict {
  /** Redis memory stayed bounded: streams trimmed, completed jobs removed, and nothing retained once the queue drained. */
  redisBounded: boolean;
  /** Why not, when not. */
  reasons: string[];
  redisUsedMB: { baseline: number; max: number; afterDrain: number; retained: number };
  /** Largest backlog of waiting jobs, and what each one held in Redis at that moment (KB). */
  backlogMax: number;
  kbPerQueuedJob: number | null;
  /** The queue was empty at the end of the drain. */
  drained: boolean;
  /** Messages/s the pipeline delivered during the load phase, against the rate asked for. */
  deliveredPerSec: number;
  eventsStreamMax: number;
  completedJobsMax: number;
  failedJobs: number;
  deliveredAll: boolean;
  /** RSS of each process at the end against its RSS after warm-up (MB). */
  rssGrowthMB: Record<string, number | null>;
  rssMaxMB: Record<string, number | null>;
}

/** BullMQ trims its events stream to about this many entries (`streams.events.maxLen`, approximate trimming). */
const EVENTS_STREAM_MAX = 10_000;
/** The api keeps at most this many completed jobs (`removeOnComplete.count`). */
const COMPLETED_KEPT_MAX = 1000;
/** Samples before this many seconds are warm-up (streams and the completed set filling up). */
const WARM_UP_S = 10;

function judge(samples: Sample[], produced: { messages: number }): Verdict {
  const load = samples.filter((s) => s.phase === 'load');
  const warm = load.filter((s) => s.t >= WARM_UP_S);
  const steady = warm.length > 0 ? warm : load;
  const final = samples.at(-1)!;
  const pending = (s: Sample) => (s.queue.waiting ?? 0) + (s.queue.active ?? 0) + (s.queue.delayed ?? 0) + (s.queue.prioritized ?? 0);
  const drained = pending(final) === 0;
  // Baseline: Redis with full streams and completed set but (nearly) no backlog.
  const baseline = Math.min(...steady.map((s) => s.redisUsedMB));
  const max = Math.max(...samples.map((s) => s.redisUsedMB));
  const retained = Math.round((final.redisUsedMB - baseline) * 10) / 10;
  const backlogMax = Math.max(...samples.map((s) => s.queue.waiting ?? 0));
  const atBacklogMax = samples.find((s) => (s.queue.waiting ?? 0) === backlogMax)!;
  const eventsStreamMax = Math.max(...samples.map((s) => s.eventsStreamLength));
  const completedJobsMax = Math.max(...samples.map((s) => s.queue.completed ?? 0));
  const reasons: string[] = [];
  // Approximate trimming (MAXLEN ~) may overshoot by a macro node (about 100 entries).
  if (eventsStreamMax > EVENTS_STREAM_MAX * 1.1) reasons.push(`events stream reached ${eventsStreamMax} entries (trimmed to ~${EVENTS_STREAM_MAX}?)`);
  if (completedJobsMax > COMPLETED_KEPT_MAX * 1.1) reasons.push(`completed jobs reached ${completedJobsMax} (kept: ${COMPLETED_KEPT_MAX})`);
  if (!drained) reasons.push(`the queue did not drain (${pending(final)} jobs left): memory cannot be judged`);
  // Once drained, Redis must be back near the baseline: what a backlog took, it gives back.
  else if (retained > Math.max(2, baseline * 0.25)) reasons.push(`Redis kept ${retained} MB over its ${baseline} MB baseline after the queue drained`);
  const rssGrowthMB: Record<string, number | null> = {};
  const rssMaxMB: Record<string, number | null> = {};
  const first = steady[0]!;
  for (const name of Object.keys(final.processes)) {
    const from = first.processes[name]?.rssMB;
    const to = [...samples].reverse().find((s) => s.processes[name]?.rssMB != null)?.processes[name]?.rssMB;
    rssGrowthMB[name] = from == null || to == null ? null : Math.round((to - from) * 10) / 10;
    const all = samples.map((s) => s.processes[name]?.rssMB).filter((v): v is number => v != null);
    rssMaxMB[name] = all.length ? Math.max(...all) : null;
  }
  const loadSeconds = Math.max(1, (load.at(-1)?.t ?? 1) - (load[0]?.t ?? 0));
  return {
    redisBounded: reasons.length === 0,
    reasons,
    redisUsedMB: { baseline, max, afterDrain: final.redisUsedMB, retained },
    backlogMax,
    kbPerQueuedJob: backlogMax > 1000 ? Math.round(((atBacklogMax.redisUsedMB - baseline) * 1024) / backlogMax * 10) / 10 : null,
    drained,
    deliveredPerSec: Math.round(((load.at(-1)?.deliveredMessages ?? 0) - (load[0]?.deliveredMessages ?? 0)) / loadSeconds),
    eventsStreamMax,
    completedJobsMax,
    failedJobs: final.queue.failed ?? 0,
    deliveredAll: final.deliveredMessages >= produced.messages,
    rssGrowthMB,
    rssMaxMB,
  };
}

const COLUMN = 12;

function printRow(s: Sample, header: boolean): void {
  const names = Object.keys(s.processes);
  if (header) {
    const columns = ['t(s)', 'phase', 'sent/s', 'dlvd/s', 'lag50ms', 'lag99ms', 'waiting', 'active', 'complete', 'failed', 'xlen', 'redis-used', ...names.map((n) => `rss:${n}`), ...names.map((n) => `cpu%:${n}`)];
    console.log(columns.map((c) => c.padStart(COLUMN)).join(' '));
    console.log('(memory in MB: redis-used is Redis INFO used_memory, rss:* the VmRSS of each process)');
  }
  const cells = [
    s.t,
    s.phase,
    s.producedPerSec,
    s.deliveredPerSec,
    s.lagMsP50 ?? '-',
    s.lagMsP99 ?? '-',
    s.queue.waiting ?? 0,
    s.queue.active ?? 0,
    s.queue.completed ?? 0,
    s.queue.failed ?? 0,
    s.eventsStreamLength,
    s.redisUsedMB,
    ...names.map((n) => s.processes[n]?.rssMB ?? '-'),
    ...names.map((n) => s.processes[n]?.cpuPercent ?? '-'),
  ];
  console.log(cells.map((c) => String(c).padStart(COLUMN)).join(' '));
}

function printSummary(options: SoakOptions, samples: Sample[], produced: { messages: number; statuses: Record<string, number>; requests: number; latencyMsSum: number; latencyMsMax: number }, verdict: Verdict): void {
  const final = samples.at(-1)!;
  const loadSeconds = options.durationMs / 1000;
  console.log('');
  console.log(`accepted ${produced.messages} messages (${Math.round(produced.messages / loadSeconds)}/s of ${options.rate}/s asked) in ${produced.requests} requests; statuses ${JSON.stringify(produced.statuses)}`);
  console.log(`request latency: mean ${Math.round(produced.latencyMsSum / Math.max(1, produced.requests))} ms, max ${Math.round(produced.latencyMsMax)} ms`);
  console.log(`delivered ${final.deliveredMessages} new_msg events (${verdict.deliveredAll ? 'all' : 'NOT all'} accepted messages); failed jobs ${verdict.failedJobs}`);
  console.log(`throughput: delivered ${verdict.deliveredPerSec} msg/s during the load phase; largest backlog ${verdict.backlogMax} waiting jobs${verdict.kbPerQueuedJob === null ? '' : ` (~${verdict.kbPerQueuedJob} KB of Redis each)`}`);
  console.log(`Redis used_memory: baseline ${verdict.redisUsedMB.baseline} MB, max ${verdict.redisUsedMB.max} MB, after the drain ${verdict.redisUsedMB.afterDrain} MB; events stream max ${verdict.eventsStreamMax} entries; completed jobs max ${verdict.completedJobsMax}`);
  console.log(`RSS max (MB): ${JSON.stringify(verdict.rssMaxMB)}`);
  console.log(`RSS end - after warm-up (MB): ${JSON.stringify(verdict.rssGrowthMB)}`);
  console.log(`Redis memory bounded: ${verdict.redisBounded ? 'yes' : `NO (${verdict.reasons.join('; ')})`}`);
}

// ---------------------------------------------------------------------------------------------

if (process.argv.includes('--producer')) {
  process.once('message', (message: { type: string; config: ProducerConfig }) => {
    runProducer(message.config).then(
      () => process.exit(0),
      (error: unknown) => {
        console.error('producer failed:', error);
        process.exit(1);
      },
    );
  });
} else {
  soak(parseOptions(process.argv.slice(2))).catch((error: unknown) => {
    console.error(error);
    process.exit(1);
  });
}
