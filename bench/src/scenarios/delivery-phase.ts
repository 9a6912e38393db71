import { processCpuSeconds } from '@notify/testing';
import type { AgentPool } from '../agents/agent-pool.js';
import type { DriveResult, DriveSpec, GroupStats } from '../agents/agent-protocol.js';
import { LatencyHistogram, type LatencySummary } from '../latency-histogram.js';
import type { QueueDepthReport, QueueDepthSampler } from '../queue-depth-sampler.js';
import { StageLagProbe, type StageLags } from '../stage-lag.js';
import { untilStalled } from '../until-stalled.js';

/** This process in the CPU readings. */
const ORCHESTRATOR = 'bench';

export type SystemName = 'pipeline' | 'direct push' | 'socket ceiling';

/** One measured phase: records sent for a while, and what the pages received. */
export interface PhaseResult {
  label: string;
  system: SystemName;
  /** e.g. `1000/s` or `window 200`. */
  pace: string;
  sent: number;
  accepted: number;
  failed: number;
  statuses: Record<string, number>;
  /** Distinct records delivered to at least one page; for bulk, every record accepted (and stored). */
  records: number;
  deliveries: number;
  expectedDeliveries: number;
  /** All expected deliveries arrived before the drain time-out. */
  complete: boolean;
  /** First send → last delivery (and, for bulk, the last record stored) (s). */
  elapsedS: number;
  recordsPerS: number;
  deliveriesPerS: number;
  /** Acceptance (record id time) → receipt by a page, every delivery. */
  latencyMs: LatencySummary;
  queueDepth?: QueueDepthReport;
  /** The pipeline only: where the latency goes (from the apps' histograms). */
  stagesMs?: StageLags;
  /**
   * CPU used during the phase, in % of one core: each server process, the agents together, and
   * `bench`, this process (it reads the apps' log lines and polls the agents).
   */
  cpuPercent: Record<string, number>;
}

export interface PhasePlan {
  group: string;
  label: string;
  system: SystemName;
  pace: string;
  /** What each agent drives (by agent index); undefined = it only receives. */
  specs: (DriveSpec | undefined)[];
  /** Deliveries owed for the drives' results; default: the sum the agents computed. */
  expected?: (drives: DriveResult[]) => number;
  sampler?: QueueDepthSampler;
  stages?: StageLagProbe;
  /** Server processes whose CPU use to report, by name. */
  processes: Record<string, number>;
  /**
   * How the agents' distinct-record counts add up: `sum` when each record goes to one agent's
   * pages (unicast: an agent drives its own users), `max` when every agent sees every record
   * (broadcast: a company's pages are spread over the agents). Default `sum`.
   */
  recordsAcrossAgents?: 'sum' | 'max';
  /** Give up waiting for missing deliveries after this long with none arriving (ms). Default 3000. */
  stallMs?: number;
  /**
   * What `records` counts: the distinct records delivered to a page (default), or every record the
   * api accepted (bulk, where most go to users without a page: they count once stored).
   */
  records?: 'delivered' | 'accepted';
  /**
   * When every accepted record was stored (epoch ms), waited for after the deliveries; undefined
   * when they were not all stored in time. The phase ends at the later of that and the last delivery.
   */
  storedAt?: (drives: DriveResult[]) => Promise<number | undefined>;
}

/** Runs one phase: reset the counters, drive, wait until the pages have everything (or it stalls), merge. */
export async function runDeliveryPhase(pool: AgentPool, plan: PhasePlan): Promise<PhaseResult> {
  await pool.all({ cmd: 'reset', group: plan.group });
  const agents = Object.fromEntries(pool.agents.map((agent) => [`agent${agent.index}`, agent.pid]));
  const processes = { ...plan.processes, ...agents, [ORCHESTRATOR]: process.pid };
  const cpuBefore = await cpuSnapshot(processes);
  const stagesBefore = await plan.stages?.snapshot();
  const startedAt = Date.now();
  plan.sampler?.start();
  const drives = (
    await Promise.all(plan.specs.map((spec, index) => (spec ? pool.agents[index]?.call({ cmd: 'drive', group: plan.group, spec }) : undefined)))
  ).filter((result): result is DriveResult => result !== undefined);
  await plan.sampler?.sendEnded();
  const expected = plan.expected ? plan.expected(drives) : drives.reduce((sum, drive) => sum + drive.expectedDeliveries, 0);
  const stats = await drain(pool, plan.group, expected, plan.stallMs ?? 3000);
  const storedAt = plan.storedAt ? await plan.storedAt(drives) : 0;
  const queueDepth = plan.sampler?.stop();
  const cpuAfter = await cpuSnapshot(processes);
  const stagesAfter = await plan.stages?.snapshot();
  const wallS = (Date.now() - startedAt) / 1000;

  const deliveries = sum(stats, (s) => s.deliveries);
  const delivered = plan.recordsAcrossAgents === 'max' ? Math.max(0, ...stats.map((s) => s.records)) : sum(stats, (s) => s.records);
  const records = plan.records === 'accepted' ? sum(drives, (d) => d.acceptedRecords) : delivered;
  const firstSendAt = Math.min(...drives.map((d) => d.firstSendAt).filter((t) => t > 0));
  const lastAt = Math.max(0, storedAt ?? 0, ...stats.map((s) => s.lastAt));
  const elapsedS = Number.isFinite(firstSendAt) && lastAt > firstSendAt ? (lastAt - firstSendAt) / 1000 : 0;
  const statuses: Record<string, number> = {};
  for (const drive of drives) for (const [status, n] of Object.entries(drive.statuses)) statuses[status] = (statuses[status] ?? 0) + n;
  return {
    label: plan.label,
    system: plan.system,
    pace: plan.pace,
    sent: sum(drives, (d) => d.sent),
    accepted: sum(drives, (d) => d.accepted),
    failed: sum(drives, (d) => d.failed),
    statuses,
    records,
    deliveries,
    expectedDeliveries: expected,
    complete: deliveries >= expected && storedAt !== undefined,
    elapsedS: round(elapsedS),
    recordsPerS: elapsedS > 0 ? Math.round(records / elapsedS) : 0,
    deliveriesPerS: elapsedS > 0 ? Math.round(deliveries / elapsedS) : 0,
    latencyMs: LatencyHistogram.from(stats.map((s) => s.latency)).summary(),
    ...(queueDepth ? { queueDepth } : {}),
    ...(stagesBefore && stagesAfter ? { stagesMs: StageLagProbe.between(stagesBefore, stagesAfter) } : {}),
    cpuPercent: cpuPercent(plan.processes, Object.keys(agents), cpuBefore, cpuAfter, wallS),
  };
}

/** Polls the agents until the pages have `expected` deliveries, or none arrived for `stallMs`. */
function drain(pool: AgentPool, group: string, expected: number, stallMs: number): Promise<GroupStats[]> {
  return untilStalled(() => pool.all({ cmd: 'stats', group }), (stats) => sum(stats, (s) => s.deliveries), expected, stallMs, 100);
}

/** % of one core per server process, and all agents together as `agents`. */
function cpuPercent(
  servers: Record<string, number>,
  agents: string[],
  before: Record<string, number>,
  after: Record<string, number>,
  wallS: number,
): Record<string, number> {
  const used = (name: string) => (after[name] ?? 0) - (before[name] ?? 0);
  const percent = (ms: number) => Math.round((100 * ms) / 1000 / wallS);
  const result = Object.fromEntries(Object.keys(servers).map((name) => [name, percent(used(name))]));
  result.agents = percent(agents.reduce((sum, name) => sum + used(name), 0));
  result[ORCHESTRATOR] = percent(used(ORCHESTRATOR));
  return result;
}

async function cpuSnapshot(processes: Record<string, number>): Promise<Record<string, number>> {
  const entries = await Promise.all(Object.entries(processes).map(async ([name, pid]) => [name, ((await processCpuSeconds(pid)) ?? 0) * 1000] as const));
  return Object.fromEntries(entries);
}

function sum<T>(items: readonly T[], value: (item: T) => number): number {
  return items.reduce((total, item) => total + value(item), 0);
}

function round(value: number): number {
  return Math.round(value * 100) / 100;
}
