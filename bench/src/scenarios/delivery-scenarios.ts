import { queuePartitions } from '@notify/contracts';
import { startBaselineServer } from '../baselines/baseline-server.js';
import { gatewayUrl, pipelineProcesses, workerUrl, type BenchContext } from '../bench-context.js';
import type { Scenario } from '../bench-options.js';
import { QueueDepthSampler } from '../queue-depth-sampler.js';
import { StageLagProbe } from '../stage-lag.js';
import { broadcastPhases } from './broadcast.js';
import type { PhaseResult } from './delivery-phase.js';
import type { DeliveryTarget } from './delivery-target.js';
import { unicastPhases } from './unicast.js';
import { Workload } from './workload.js';

/** Runs a scenario, turning a failure into a warning so the other scenarios still run. */
export type Attempt = <T>(name: string, run: () => Promise<T>) => Promise<T | undefined>;

interface TargetRun {
  target: DeliveryTarget;
  url: string;
  auth: 'token' | 'identity';
  readyEvent: 'connect' | 'session';
  unicast: { fixed: boolean; flatOut: boolean } | undefined;
  broadcast: boolean;
}

/**
 * The unicast and broadcast phases, on the pipeline and then on each selected baseline server:
 * the same pages (same users, tokens, agents) connect to each in turn.
 */
export async function runDeliveryScenarios(ctx: BenchContext, attempt: Attempt): Promise<PhaseResult[]> {
  const has = (scenario: Scenario) => ctx.options.scenarios.includes(scenario);
  const withUnicast = has('unicast') || has('direct') || has('socket');
  const withBroadcast = has('broadcast') || has('direct') || has('socket');
  if (!withUnicast && !withBroadcast) return [];
  const { bench } = ctx;
  const workload = await Workload.plan(ctx, withUnicast, withBroadcast);
  const phases: PhaseResult[] = [];

  const collect = async (system: string, run: () => Promise<PhaseResult[]>) => phases.push(...((await attempt(system, run)) ?? []));

  if (has('unicast') || has('broadcast')) {
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
        return await onTarget(ctx, workload, { target, url: gatewayUrl(bench), auth: 'token', readyEvent: 'session', unicast, broadcast: has('broadcast') }, attempt);
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
        const unicast = withUnicast ? { fixed: true, flatOut: true } : undefined;
        return await onTarget(ctx, workload, { target, url: server.url, auth: 'token', readyEvent: 'connect', unicast, broadcast: withBroadcast }, attempt);
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
        const unicast = withUnicast ? { fixed: false, flatOut: true } : undefined;
        return await onTarget(ctx, workload, { target, url: server.url, auth: 'identity', readyEvent: 'connect', unicast, broadcast: withBroadcast }, attempt);
      } finally {
        await server.stop();
      }
    });
  }
  return phases;
}

async function onTarget(ctx: BenchContext, workload: Workload, run: TargetRun, attempt: Attempt): Promise<PhaseResult[]> {
  const { target } = run;
  const opened = await workload.connect(ctx.pool, target.group, run.url, run.auth, run.readyEvent);
  ctx.log(`${target.system}: ${opened.connected}/${workload.pageCount} pages open in ${(opened.elapsedMs / 1000).toFixed(1)} s`);
  const phases: PhaseResult[] = [];
  try {
    if (opened.failed > 0) throw new Error(`${opened.failed} pages failed to open: ${opened.firstError}`);
    const { unicast } = run;
    if (unicast) phases.push(...((await attempt(`${target.system} unicast`, () => unicastPhases(ctx, target, unicast))) ?? []));
    if (run.broadcast) phases.push(...((await attempt(`${target.system} broadcast`, () => broadcastPhases(ctx, target, workload.broadcast))) ?? []));
  } finally {
    await ctx.pool.all({ cmd: 'disconnect', group: target.group });
  }
  return phases;
}
