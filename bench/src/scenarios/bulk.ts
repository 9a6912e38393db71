import type { BenchContext } from '../bench-context.js';
import { runDeliveryPhase, type PhaseResult } from './delivery-phase.js';
import type { DeliveryTarget } from './delivery-target.js';
import { untilStalled } from '../until-stalled.js';

/** Give up waiting for the records to be stored after this long without progress (ms). */
const STORE_STALL_MS = 10_000;

/**
 * Bulk: `POST /v1/bulk` requests of `--bulk-size` messages, each message to its own receiver: an
 * `--bulk-online` share of them to the agent's users with a page open (1–3 tabs), the rest to users
 * without one (a digest run reaches mostly users who are not looking). Flat out, with
 * `--bulk-window` requests in flight end to end. Records per second are every record accepted,
 * stored and, for those with a page open, delivered: the phase ends when the worker has stored
 * them all and the pages have theirs.
 */
export async function bulkPhase(ctx: BenchContext, target: DeliveryTarget): Promise<PhaseResult> {
  const { options, pool } = ctx;
  const stages = target.stages;
  if (!stages) throw new Error('bulk runs on the pipeline only');
  const agents = pool.agents.length;
  const perAgent = Math.max(1, Math.round(options.bulkWindow / agents));
  ctx.log(`bulk: ${options.bulkSize} messages a request (${Math.round(options.bulkOnline * 100)}% to open pages), window ${perAgent * agents} → ${target.system}`);
  const storedBefore = await stages.storedCount();
  // --profile: the apps are profiled during this phase too.
  const profiled = ctx.bench.profileDir !== undefined;
  if (profiled) await ctx.bench.toggleProfiling('bulk');
  try {
    return await bulkDelivery(ctx, target, perAgent, storedBefore);
  } finally {
    if (profiled) await ctx.bench.toggleProfiling();
  }
}

function bulkDelivery(ctx: BenchContext, target: DeliveryTarget, perAgent: number, storedBefore: number): Promise<PhaseResult> {
  const { options, pool } = ctx;
  const stages = target.stages as NonNullable<DeliveryTarget['stages']>;
  const agents = pool.agents.length;
  return runDeliveryPhase(pool, {
    group: target.group,
    system: target.system,
    processes: target.processes,
    sampler: target.sampler,
    stages,
    label: 'bulk',
    pace: `${options.bulkSize}/request, window ${perAgent * agents}`,
    specs: pool.agents.map(() => ({
      transport: target.transport,
      targets: { kind: 'bulk', size: options.bulkSize, online: options.bulkOnline },
      pace: { kind: 'window', size: perAgent },
      durationMs: options.durationS * 1000,
      payloadBytes: options.payloadBytes,
    })),
    records: 'accepted',
    storedAt: async (drives) => {
      const expected = storedBefore + drives.reduce((sum, drive) => sum + drive.acceptedRecords, 0);
      const stored = await untilStalled(() => stages.storedCount(), (count) => count, expected, STORE_STALL_MS, 50);
      return stored >= expected ? Date.now() : undefined;
    },
  });
}
