import type { BenchOptions, RedisMode } from '../bench-options.js';
import type { ProfileSummary } from '../profile/cpu-profile-summary.js';
import type { QueueCeilingResult } from '../baselines/queue-ceiling.js';
import type { BrowserScriptSize } from '../scenarios/browser-script-size.js';
import type { ConnectionsResult } from '../scenarios/connections.js';
import type { PhaseResult, SystemName } from '../scenarios/delivery-phase.js';
import type { ReplayMeasurement } from '../scenarios/replay.js';
import type { ContentionMeasurement } from '../scenarios/contention.js';
import type { FanoutResult } from '../scenarios/fanout.js';

/** The machine the run was on, and how busy it was (load averages: 1, 5, 15 min). */
export interface MachineInfo {
  cpus: number;
  cpuModel: string;
  memoryGiB: number;
  node: string;
  platform: string;
  loadBefore: number[];
  loadAfter: number[];
}

/** One target of the issue and where this run stands. */
export interface TargetCheck {
  name: string;
  target: string;
  actual: string;
  met: boolean | null;
  /** What to know when reading `actual`. */
  note?: string;
}

/**
 * What one durable unicast message costs at the least on this machine, in CPU µs, from the
 * baselines of the same run: taking the HTTP request and emitting to the pages (the direct-push
 * server), sending and receiving it (the agents, in that same phase), and one BullMQ job with a
 * no-op processor (the queue ceiling's producer, worker and Redis). No storage, no validation
 * beyond direct push's, no bus. `msgPerS` is what the machine's cores could pass at that cost.
 */
export interface UnicastFloor {
  httpAndSocketUs: number;
  agentsUs: number;
  queueJobUs: number;
  msgPerS: number;
}

/** Everything a run measured: written as `bench/results/<timestamp>.json`. */
export interface BenchResults {
  version: 1;
  startedAt: string;
  finishedAt: string;
  durationS: number;
  machine: MachineInfo;
  options: BenchOptions;
  /** The Redis this run was on (absent in runs before `--redis`: one server). */
  redis?: RedisMode;
  /** QUEUE_PARTITIONS of the apps (absent in runs before it existed: 1). */
  queuePartitions?: number;
  /** What held the records: `SQLite`, or the MongoDB-compatible server (absent in runs before it was recorded). */
  storeServer?: string;
  /** Delivery phases (unicast, broadcast) of the pipeline and the direct-push and socket-ceiling baselines. */
  phases: PhaseResult[];
  connections?: ConnectionsResult;
  replay?: ReplayMeasurement[];
  contention?: ContentionMeasurement;
  /** One message to many receivers with a page open, on the pipeline and on direct push. */
  fanout?: FanoutResult[];
  queueCeiling?: QueueCeilingResult;
  /** The gateway's browser script, socket.io-client included. */
  browserScript?: BrowserScriptSize;
  /** Pipeline ÷ baseline. */
  ratios: Record<string, number>;
  /** The most any design with one job per message could sustain here (from the baselines). */
  unicastFloor?: UnicastFloor;
  targets: TargetCheck[];
  /** With `--profile`: by `<app> · <phase>`. */
  profiles?: Record<string, ProfileSummary>;
  /** With `--profile`: the pipeline phases profiled, in order. */
  profiledPhases?: string[];
  /** Problems that did not stop the run (a failed scenario, missing deliveries). */
  warnings: string[];
}

export function findPhase(results: Pick<BenchResults, 'phases'>, system: SystemName, label: string): PhaseResult | undefined {
  return results.phases.find((phase) => phase.system === system && phase.label === label);
}

const ratio = (a: number | undefined, b: number | undefined) => (a !== undefined && b ? Math.round((a / b) * 1000) / 1000 : undefined);

/** Processes that are the system under test, not the load: everything but the agents and the bench. */
const isServer = (name: string) => name !== 'agents' && name !== 'bench';

/** µs of CPU per record of `phase`, per process (and `servers`, the system's own processes together). */
export function cpuPerRecord(phase: PhaseResult): Record<string, number> {
  if (phase.recordsPerS <= 0) return {};
  const us = (percent: number) => Math.round(((percent / 100) * 1e6) / phase.recordsPerS);
  const perProcess = Object.fromEntries(Object.entries(phase.cpuPercent).map(([name, percent]) => [name, us(percent)]));
  const servers = Object.entries(phase.cpuPercent).filter(([name]) => isServer(name)).reduce((sum, [, percent]) => sum + percent, 0);
  return { ...perProcess, servers: us(servers) };
}

/** The pipeline as a fraction of each baseline. */
export function computeRatios(results: Omit<BenchResults, 'ratios' | 'targets'>): Record<string, number> {
  const ratios: Record<string, number | undefined> = {};
  const fixed = `unicast ${results.options.rate}/s`;
  const flat = 'unicast flat out';
  const pipeFlat = findPhase(results, 'pipeline', flat);
  const pipeFixed = findPhase(results, 'pipeline', fixed);
  const directFlat = findPhase(results, 'direct push', flat);
  const directFixed = findPhase(results, 'direct push', fixed);
  ratios['unicast throughput: pipeline / direct push'] = ratio(pipeFlat?.recordsPerS, directFlat?.recordsPerS);
  ratios['unicast p50 latency at fixed rate: pipeline / direct push'] = ratio(pipeFixed?.latencyMs.p50, directFixed?.latencyMs.p50);
  ratios['unicast p99 latency at fixed rate: pipeline / direct push'] = ratio(pipeFixed?.latencyMs.p99, directFixed?.latencyMs.p99);
  ratios['unicast mean latency at fixed rate: pipeline / direct push'] = ratio(pipeFixed?.latencyMs.mean, directFixed?.latencyMs.mean);
  ratios[`CPU per message at ${results.options.rate}/s: pipeline / direct push`] = ratio(
    pipeFixed && cpuPerRecord(pipeFixed).servers,
    directFixed && cpuPerRecord(directFixed).servers,
  );
  ratios['unicast throughput: pipeline / queue ceiling'] = ratio(pipeFlat?.recordsPerS, results.queueCeiling?.jobsPerS);
  ratios['unicast throughput: pipeline / socket ceiling'] = ratio(pipeFlat?.recordsPerS, findPhase(results, 'socket ceiling', flat)?.recordsPerS);
  for (const size of results.options.broadcastSizes) {
    const label = `broadcast ${size} pages`;
    const pipe = findPhase(results, 'pipeline', label)?.deliveriesPerS;
    ratios[`${label} deliveries/s: pipeline / socket ceiling`] = ratio(pipe, findPhase(results, 'socket ceiling', label)?.deliveriesPerS);
    ratios[`${label} deliveries/s: pipeline / direct push`] = ratio(pipe, findPhase(results, 'direct push', label)?.deliveriesPerS);
  }
  return Object.fromEntries(Object.entries(ratios).filter((entry): entry is [string, number] => entry[1] !== undefined));
}

/** The {@link UnicastFloor} of a run, when it measured direct push flat out and the queue ceiling. */
export function computeUnicastFloor(results: Pick<BenchResults, 'phases' | 'queueCeiling' | 'machine'>): UnicastFloor | undefined {
  const direct = findPhase(results, 'direct push', 'unicast flat out');
  const queue = results.queueCeiling;
  if (!direct || !queue || direct.recordsPerS <= 0 || queue.jobsPerS <= 0) return undefined;
  const usPer = (percent: number, perS: number) => Math.round((percent / 100 / perS) * 1e6);
  const sum = (cpu: Record<string, number>, names: string[]) => names.reduce((total, name) => total + (cpu[name] ?? 0), 0);
  const httpAndSocketUs = usPer(direct.cpuPercent.server ?? 0, direct.recordsPerS);
  const agentsUs = usPer(direct.cpuPercent.agents ?? 0, direct.recordsPerS);
  const queueJobUs = usPer(sum(queue.cpuPercent, ['producer', 'worker', 'redis']), queue.jobsPerS);
  const totalUs = httpAndSocketUs + agentsUs + queueJobUs;
  return { httpAndSocketUs, agentsUs, queueJobUs, msgPerS: totalUs > 0 ? Math.round((results.machine.cpus * 1e6) / totalUs) : 0 };
}

/** The issue's targets for this 2-core machine, checked against the run. */
export function checkTargets(results: Omit<BenchResults, 'targets'>): TargetCheck[] {
  const checks: TargetCheck[] = [];
  const add = (name: string, target: string, actual: number | undefined, unit: string, met: (value: number) => boolean) =>
    checks.push({ name, target, actual: actual === undefined ? 'not measured' : `${actual}${unit}`, met: actual === undefined ? null : met(actual) });
  const pipeFlat = findPhase(results, 'pipeline', 'unicast flat out');
  const pipeFixed = findPhase(results, 'pipeline', `unicast ${results.options.rate}/s`);
  add('durable unicast, sustained', '≥ 5,000 msg/s', pipeFlat?.recordsPerS, ' msg/s', (v) => v >= 5000);
  const floor = results.unicastFloor;
  if (floor) (checks.at(-1) as TargetCheck).note = `one job per message would allow at most ~${floor.msgPerS.toLocaleString('en')} msg/s here (see the cost floor); jobs carry several`;
  const directFixed = findPhase(results, 'direct push', `unicast ${results.options.rate}/s`);
  add(`unicast p99 at ${results.options.rate} msg/s`, '≤ 50 ms at 1,000 msg/s, direct push ≤ 5 ms', pipeFixed?.latencyMs.p99, ' ms', (v) => v <= 50);
  const p99 = checks.at(-1) as TargetCheck;
  if (directFixed) p99.note = `direct push's p99 ${directFixed.latencyMs.p99} ms`;
  if (directFixed && directFixed.latencyMs.p99 > 5 && p99.met !== null) {
    p99.met = null;
    p99.note = `not a qualifying run: direct push's p99 was ${directFixed.latencyMs.p99} ms (> 5 ms: the machine was busy)`;
  }
  if (pipeFixed?.queueDepth?.growing) {
    p99.met = false;
    p99.note = `the pipeline did not keep up with ${results.options.rate} msg/s (queue growing; ${pipeFixed.recordsPerS} msg/s delivered)`;
  }
  const cpuRatio = results.ratios[`CPU per message at ${results.options.rate}/s: pipeline / direct push`];
  add(`CPU per message at ${results.options.rate} msg/s, notify + Redis vs direct push`, '≤ 2×', cpuRatio === undefined ? undefined : Math.round(cpuRatio * 10) / 10, '×', (v) => v <= 2);
  if (pipeFixed && directFixed && cpuRatio !== undefined) {
    (checks.at(-1) as TargetCheck).note = `${cpuPerRecord(pipeFixed).servers} µs vs ${cpuPerRecord(directFixed).servers} µs of CPU per message`;
  }
  const vsDirect = results.ratios['unicast throughput: pipeline / direct push'];
  add('pipeline vs direct push (throughput)', '≥ 50%', vsDirect === undefined ? undefined : Math.round(vsDirect * 100), '%', (v) => v >= 50);
  const directFlat = findPhase(results, 'direct push', 'unicast flat out');
  if (floor && directFlat && vsDirect !== undefined) {
    (checks.at(-1) as TargetCheck).note = `the cost floor itself is ${Math.round((100 * floor.msgPerS) / directFlat.recordsPerS)}% of direct push here`;
  }
  const broadcast = results.options.broadcastSizes
    .map((size) => results.ratios[`broadcast ${size} pages deliveries/s: pipeline / socket ceiling`])
    .filter((value): value is number => value !== undefined);
  add('broadcast vs socket ceiling (worst size)', '≥ 80%', broadcast.length ? Math.round(Math.min(...broadcast) * 100) : undefined, '%', (v) => v >= 80);
  const smallest = results.options.broadcastSizes[0];
  const smallRatio = results.ratios[`broadcast ${smallest} pages deliveries/s: pipeline / socket ceiling`];
  add(`broadcast to ${smallest} pages vs socket ceiling`, '≥ 0.5×', smallRatio === undefined ? undefined : Math.round(smallRatio * 100) / 100, '×', (v) => v >= 0.5);
  const bulk = findPhase(results, 'pipeline', 'bulk');
  add(`bulk (${results.options.bulkSize} a request), accepted, stored and delivered`, '≥ 20,000 msg/s', bulk?.recordsPerS, ' msg/s', (v) => v >= 20_000);
  if (bulk) {
    const last = checks.at(-1) as TargetCheck;
    last.note = `${Math.round(results.options.bulkOnline * 100)}% of the messages to users with a page open (${bulk.deliveriesPerS.toLocaleString('en')} deliveries/s)`;
    if (!bulk.complete) last.met = false;
  }
  const fanout = results.fanout?.find((f) => f.system === 'pipeline');
  const receivers = fanout?.receivers ?? results.options.fanoutReceivers;
  add(`one message to ${receivers.toLocaleString('en')} receivers: every page has it, p50`, '≤ 250 ms', fanout && fanout.complete > 0 ? fanout.allPagesMs.p50 : undefined, ' ms', (v) => v <= 250);
  const directFanout = results.fanout?.find((f) => f.system === 'direct push');
  if (fanout) {
    const last = checks.at(-1) as TargetCheck;
    last.note = `${fanout.complete} of ${fanout.sends} sends complete; p99 ${fanout.allPagesMs.p99} ms${directFanout ? `; direct push p50 ${directFanout.allPagesMs.p50} ms` : ''}`;
    if (fanout.complete < fanout.sends) last.met = false;
  }
  add(`gateway memory per idle page (${results.connections?.connected ?? 0} pages)`, '≤ 30 KB at 10,000 pages', results.connections?.gatewayKiBPerPage, ' KiB', (v) => v <= 30);
  const largest = results.replay?.at(-1);
  const atLargest = `(${largest?.stored.toLocaleString('en') ?? '?'} stored)`;
  add(`replay of ${results.options.replayUnread} unread, p50 ${atLargest}`, '≤ 10 ms', largest?.latencyMs.p50, ' ms', (v) => v <= 10);
  add(`list request, p50 ${atLargest}`, '≤ 5 ms', largest?.listMs.p50, ' ms', (v) => v <= 5);
  add(`catch-up after 1,000 missed, p50 ${atLargest}`, '≤ 50 ms', largest?.catchUpMs.p50, ' ms', (v) => v <= 50);
  add('gateway event-loop delay p99 under write contention', '≤ 20 ms', results.contention?.gatewayLoopP99Ms, ' ms', (v) => v <= 20);
  if (results.contention) (checks.at(-1) as TargetCheck).note = `control, no reads: ${results.contention.control.gatewayLoopP99Ms} ms`;
  const script = results.browserScript;
  add('browser script, gzipped (socket.io-client included)', '≤ 30 KB', script && Math.round(script.gzippedBytes / 100) / 10, ' KB', (v) => v <= 30);
  if (script) (checks.at(-1) as TargetCheck).note = `${script.minifiedBytes.toLocaleString('en')} bytes minified, ${script.gzippedBytes.toLocaleString('en')} gzipped (1 KB = 1,000 bytes)`;
  return checks;
}
