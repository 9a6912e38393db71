import { queuePartitions } from '@notify/contracts';
import { startBaselineServer } from '../baselines/baseline-server.js';
import { gatewayUrl, pipelineProcesses, workerUrl, type BenchContext } from '../bench-context.js';
import type { Scenario } from '../bench-options.js';
import { QueueDepthSampler } from '../queue-depth-sampler.js';
import { StageLagProbe } from '../stage-lag.js';
import { broadcastPhases } from './broadcast.js';
import { bulkPhase } from './bulk.js';
import { runFanout, type FanoutResult } from './fanout.js';
import type { PhaseResult } from './delivery-phase.js';
import type { DeliveryTarget } from './delivery-target.js';
import { unicastPhases } from './unicast.js';
import { FANOUT_COMPANY, fanoutGroup, Workload } from './workload.js';

/** Runs a scenario, turning a failure into a warning so the other scenarios still run. */
export type Attempt = <T>(name: string, run: () => Promise<T>) => Promise<T | undefined>;

interface TargetRun {
  target: DeliveryTarget;
  url: string;
  auth: 'token' | 'identity';
  readyEvent: 'connect' | 'session';
  unicast: { fixed: boolean; flatOut: boolean } | undefined;
  broadcast: boolean;
  bulk?: boolean;
  fanout?: boolean;
}

/** What the delivery scenarios measured: the phases, and the fan-out sends of each system. */
export interface DeliveryResults {
  phases: PhaseResult[];
  fanout: FanoutResult[];
}

/**
 * The unicast and broadcast phases, on the pipeline and then on each selected baseline server:
 * the same pages (same users, tokens, agents) connect to each in turn. Bulk runs on the pipeline
 * (the baselines have no bulk route), fan-out on the pipeline and direct push.
 */
export async function runDeliveryScenarios(ctx: BenchContext, attempt: Attempt): Promise<DeliveryResults> {
  const has = (scenario: Scenario) => ctx.options.scenarios.includes(scenario);
  const withUnicast = has('unicast') || has('bulk') || has('direct') || has('socket');
  const withBroadcast = has('broadcast') || has('direct') || has('socket');
  const withFanout = has('fanout');
  const fanout: FanoutResult[] = [];
  if (!withUnicast && !withBroadcast && !withFanout) return { phases: [], fanout };
  const { bench } = ctx;
  const workload = await Workload.plan(ctx, withUnicast, withBroadcast, withFanout);
  const phases: PhaseResult[] = [];

  const collect = async (system: string, run: () => Promise<{ phases: PhaseResult[]; fanout?: FanoutResult }>) => {
    const result = await attempt(system, run);
    phases.push(...(result?.phases ?? []));
    if (result?.fanout) fanout.push(result.fanout);
  };

  if (has('unicast') || has('broadcast') || has('bulk') || withFanout) {
    await collect('pipeline', async () => {
      const partitions = queuePartitions(bench.stack.env.REDIS_PREFIX ?? '', bench.queuePartitions, bench.redisMode === 'cluster');
      const sampler = new QueueDepthSampler(bench.redisTarget, partitions);
      try {
        const target: DeliveryTarget = {
          system: 'pipeline',
          group: 'pipeline',
          transport: { kind: 'http', url: bench.stack.apiUrl, apiKey: bench.stack.apiKey },
          processes: pipelineProcesses(bench),
          sampler,
          stages: new StageLagProbe(workerUrl(bench), gatewayUrl(bench)),
        };
        const unicast = has('unicast') ? { fixed: true, flatOut: true } : undefined;
        const run = { target, url: gatewayUrl(bench), auth: 'token', readyEvent: 'session', unicast, broadcast: has('broadcast'), bulk: has('bulk'), fanout: withFanout } as const;
        return await onTarget(ctx, workload, run, attempt);
      } finally {
        await sampler.close();
      }
    });
  }
  if (has('direct')) {
    await collect('direct push', async () => {
      const server = await startBaselineServer('direct-push-server', { BENCH_API_KEY: bench.stack.apiKey, BENCH_JWT_SECRET: bench.stack.jwtSecret });
      try {
        const target: DeliveryTarget = {
          system: 'direct push',
          group: 'direct',
          transport: { kind: 'http', url: server.url, apiKey: bench.stack.apiKey },
          processes: { server: server.pid },
        };
        const unicast = has('unicast') || has('direct') ? { fixed: true, flatOut: true } : undefined;
        return await onTarget(ctx, workload, { target, url: server.url, auth: 'token', readyEvent: 'connect', unicast, broadcast: withBroadcast, fanout: withFanout }, attempt);
      } finally {
        await server.stop();
      }
    });
  }
  if (has('socket')) {
    await collect('socket ceiling', async () => {
      const server = await startBaselineServer('socket-ceiling-server');
      try {
        const target: DeliveryTarget = { system: 'socket ceiling', group: 'ceiling', transport: { kind: 'socket', url: server.url }, processes: { server: server.pid } };
        // No fixed-rate phase: a ceiling is about throughput.
        const unicast = has('unicast') || has('socket') ? { fixed: false, flatOut: true } : undefined;
        return await onTarget(ctx, workload, { target, url: server.url, auth: 'identity', readyEvent: 'connect', unicast, broadcast: withBroadcast }, attempt);
      } finally {
        await server.stop();
      }
    });
  }
  return { phases, fanout };
}

async function onTarget(ctx: BenchContext, workload: Workload, run: TargetRun, attempt: Attempt): Promise<{ phases: PhaseResult[]; fanout?: FanoutResult }> {
  const { target } = run;
  const opened = await workload.connect(ctx.pool, target.group, run.url, run.auth, run.readyEvent, run.fanout);
  const pages = workload.pageCount + (run.fanout ? workload.fanoutUids.length : 0);
  ctx.log(`${target.system}: ${opened.connected}/${pages} pages open in ${(opened.elapsedMs / 1000).toFixed(1)} s`);
  const phases: PhaseResult[] = [];
  let fanout: FanoutResult | undefined;
  try {
    if (opened.failed > 0) throw new Error(`${opened.failed} pages failed to open: ${opened.firstError}`);
    const { unicast } = run;
    if (unicast) phases.push(...((await attempt(`${target.system} unicast`, () => unicastPhases(ctx, target, unicast))) ?? []));
    if (run.broadcast) phases.push(...((await attempt(`${target.system} broadcast`, () => broadcastPhases(ctx, target, workload.broadcast))) ?? []));
    if (run.bulk) {
      const bulk = await attempt(`${target.system} bulk`, () => bulkPhase(ctx, target));
      if (bulk) phases.push(bulk);
    }
    if (run.fanout) {
      fanout = await attempt(`${target.system} fan-out`, () => runFanout(ctx, target, fanoutGroup(target.group), workload.fanoutUids, FANOUT_COMPANY));
    }
  } finally {
    await ctx.pool.all({ cmd: 'disconnect', group: target.group });
    if (run.fanout) await ctx.pool.all({ cmd: 'disconnect', group: fanoutGroup(target.group) });
  }
  return { phases, ...(fanout ? { fanout } : {}) };
}
