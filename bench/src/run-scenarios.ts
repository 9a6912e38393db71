import { cpus, loadavg, totalmem } from 'node:os';
import { AgentPool } from './agents/agent-pool.js';
import { runQueueCeiling } from './baselines/queue-ceiling.js';
import { gatewayUrl, type BenchContext } from './bench-context.js';
import type { BenchOptions, RedisMode, Scenario } from './bench-options.js';
import { startBenchStack } from './bench-stack.js';
import type { MachineInfo } from './report/bench-results.js';
import { type BenchResults, checkTargets, computeRatios, computeUnicastFloor } from './report/bench-results.js';
import { measureBrowserScript } from './scenarios/browser-script-size.js';
import { runConnections } from './scenarios/connections.js';
import type { PhaseResult } from './scenarios/delivery-phase.js';
import { runDeliveryScenarios, type Attempt } from './scenarios/delivery-scenarios.js';
import { runReplay } from './scenarios/replay.js';
import { runContention } from './scenarios/contention.js';

const load = () => loadavg().map((value) => Math.round(value * 100) / 100);

function machine(loadBefore: number[]): MachineInfo {
  return {
    cpus: cpus().length,
    cpuModel: cpus()[0]?.model.trim() ?? 'unknown',
    memoryGiB: Math.round(totalmem() / 1024 ** 3),
    node: process.version,
    platform: `${process.platform} ${process.arch}`,
    loadBefore,
    loadAfter: [],
  };
}

/**
 * Runs the selected scenarios in a fixed order — connections (on an idle gateway), replay (before
 * anything else is stored), write contention, unicast, broadcast, then the baselines — and collects
 * the results.
 * Everything it starts (Redis, apps, agents, baseline servers) is stopped before it returns.
 * `profileDir`: where the apps' CPU profiles go with `--profile`.
 */
export async function runBench(options: BenchOptions, redis: RedisMode, log: (line: string) => void, profileDir?: string): Promise<BenchResults> {
  const startedAt = new Date();
  const info = machine(load());
  const has = (scenario: Scenario) => options.scenarios.includes(scenario);
  const warnings: string[] = [];
  const phases: PhaseResult[] = [];
  const partial: Omit<BenchResults, 'ratios' | 'targets' | 'finishedAt' | 'durationS'> = { version: 1, startedAt: startedAt.toISOString(), machine: info, options, redis, phases, warnings };

  log(`starting ${redis === 'cluster' ? 'a Redis Cluster' : 'Redis'}, api, worker, gateway (${options.store}) and ${options.agents} agent processes`);
  const bench = await startBenchStack(options, redis, profileDir);
  partial.queuePartitions = bench.queuePartitions;
  partial.storeServer = bench.storeServer;
  log(`store: ${bench.storeServer}`);
  let pool: AgentPool | undefined;
  try {
    pool = await AgentPool.start(options.agents);
    const ctx: BenchContext = { options, pool, bench, log };
    const attempt: Attempt = async <T>(name: string, run: () => Promise<T>): Promise<T | undefined> => {
      try {
        return await run();
      } catch (error) {
        warnings.push(`${name} failed: ${(error as Error).message}`);
        log(`${name} failed: ${(error as Error).stack ?? String(error)}`);
        return undefined;
      }
    };

    // A download, not a load test: measured on every run.
    partial.browserScript = await attempt('browser script', () => measureBrowserScript(gatewayUrl(bench)));
    if (has('connections')) partial.connections = await attempt('connections', () => runConnections(ctx));
    if (has('replay')) partial.replay = await attempt('replay', () => runReplay(ctx));
    if (has('contention')) partial.contention = await attempt('contention', () => runContention(ctx));

    const delivery = await attempt('workload', () => runDeliveryScenarios(ctx, attempt));
    phases.push(...(delivery?.phases ?? []));
    if (delivery?.fanout.length) partial.fanout = delivery.fanout;

    if (has('queue')) partial.queueCeiling = await attempt('queue ceiling', () => runQueueCeiling(ctx));
  } finally {
    await pool?.stop();
    log('stopping the apps and Redis');
    await bench.stop();
  }
  if (profileDir) partial.profiledPhases = [...bench.profiledPhases];

  for (const phase of phases) {
    if (!phase.complete) warnings.push(`${phase.label} (${phase.system}): ${phase.deliveries} of ${phase.expectedDeliveries} deliveries arrived`);
    if (phase.failed > 0) warnings.push(`${phase.label} (${phase.system}): ${phase.failed} of ${phase.sent} requests failed: ${JSON.stringify(phase.statuses)}`);
  }
  info.loadAfter = load();
  const finishedAt = new Date();
  const done = { ...partial, finishedAt: finishedAt.toISOString(), durationS: (finishedAt.getTime() - startedAt.getTime()) / 1000 };
  const ratios = computeRatios(done);
  const unicastFloor = computeUnicastFloor(done);
  const withRatios = { ...done, ratios, ...(unicastFloor ? { unicastFloor } : {}) };
  return { ...withRatios, targets: checkTargets(withRatios) };
}
