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
  const base = { transport: target.transport, record: 'message', targets: { kind: 'own-users' }, durationMs: options.durationS * 1000, payloadBytes: options.payloadBytes } as const;
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
  if (phases.fixed) {
    ctx.log(`unicast at ${options.rate}/s → ${target.system}`);
    results.push(
      await runDeliveryPhase(pool, {
        ...plan,
        label: `unicast ${options.rate}/s`,
        pace: `${options.rate}/s`,
        specs: pool.agents.map(() => ({ ...base, pace: { kind: 'rate', perSecond: options.rate / agents } })),
      }),
    );
  }
  if (phases.flatOut) {
    ctx.log(`unicast flat out (window ${options.window}) → ${target.system}`);
    const perAgent = Math.max(1, Math.round(options.window / agents));
    // --profile: the pipeline's apps are profiled during this phase only.
    const profiled = target.system === 'pipeline' && ctx.bench.profileDir !== undefined;
    if (profiled) ctx.bench.toggleProfiling();
    try {
      results.push(
        await runDeliveryPhase(pool, {
          ...plan,
          label: 'unicast flat out',
          pace: `window ${perAgent * agents}`,
          specs: pool.agents.map(() => ({ ...base, pace: { kind: 'window', size: perAgent } })),
        }),
      );
    } finally {
      if (profiled) ctx.bench.toggleProfiling();
    }
  }
  return results;
}
