import type { BenchContext } from '../bench-context.js';
import { runDeliveryPhase, type PhaseResult } from './delivery-phase.js';
import type { DeliveryTarget } from './delivery-target.js';

/** Unmeasured time at the fixed rate before the measured phases (JIT, connection pools, caches). */
const WARM_UP_MS = 3000;

/**
 * Unicast: messages to random users (1–3 tabs each). `fixed`: open loop at `--rate` (latency);
 * flat out: closed loop with `--window` messages in flight end to end (throughput: the most the
 * target sustains with a bounded queue, since a new message goes out only when one arrived).
 */
export async function unicastPhases(ctx: BenchContext, target: DeliveryTarget, phases: { fixed: boolean; flatOut: boolean }): Promise<PhaseResult[]> {
  const { options, pool } = ctx;
  const agents = pool.agents.length;
  const base = { transport: target.transport, targets: { kind: 'own-users' }, durationMs: options.durationS * 1000, payloadBytes: options.payloadBytes } as const;
  const results: PhaseResult[] = [];
  const plan = { group: target.group, system: target.system, processes: target.processes, sampler: target.sampler, stages: target.stages };
  if (options.durationS >= 3) {
    // Three unmeasured seconds at the fixed rate first, so the measured phases do not include JIT warm-up.
    await runDeliveryPhase(pool, {
      ...plan,
      label: 'warm-up',
      pace: `${options.rate}/s`,
      specs: pool.agents.map(() => ({ ...base, durationMs: WARM_UP_MS, pace: { kind: 'rate', perSecond: options.rate / agents } })),
    });
  }
  // --profile: the pipeline's apps are profiled during these two phases, each on its own.
  const profiled = async (label: string, run: () => Promise<PhaseResult>): Promise<PhaseResult> => {
    const on = target.system === 'pipeline' && ctx.bench.profileDir !== undefined;
    if (on) await ctx.bench.toggleProfiling(label);
    try {
      return await run();
    } finally {
      if (on) await ctx.bench.toggleProfiling();
    }
  };
  if (phases.fixed) {
    ctx.log(`unicast at ${options.rate}/s → ${target.system}`);
    const label = `unicast ${options.rate}/s`;
    results.push(
      await profiled(label, () =>
        runDeliveryPhase(pool, {
          ...plan,
          label,
          pace: `${options.rate}/s`,
          specs: pool.agents.map(() => ({ ...base, pace: { kind: 'rate', perSecond: options.rate / agents } })),
        }),
      ),
    );
  }
  if (phases.flatOut) {
    ctx.log(`unicast flat out (window ${options.window}) → ${target.system}`);
    const perAgent = Math.max(1, Math.round(options.window / agents));
    const label = 'unicast flat out';
    results.push(
      await profiled(label, () =>
        runDeliveryPhase(pool, {
          ...plan,
          label,
          pace: `window ${perAgent * agents}`,
          specs: pool.agents.map(() => ({ ...base, pace: { kind: 'window', size: perAgent } })),
        }),
      ),
    );
  }
  return results;
}
