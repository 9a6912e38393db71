import type { BenchContext } from '../bench-context.js';
import { runDeliveryPhase, type PhaseResult } from './delivery-phase.js';
import type { DeliveryTarget } from './delivery-target.js';
import type { BroadcastCompany } from './workload.js';

/** Broadcast phases keep about this many deliveries in flight (at least 8 dynamics, at most `--window`). */
const DELIVERIES_IN_FLIGHT = 8000;

/**
 * Broadcast: dynamics to one company at a time (10, 100, 1,000 open pages), flat out in a closed
 * loop: agent 0 sends, and a dynamic counts as arrived when the company's sentinel page (the last
 * to join its room) has it. Reports deliveries per second over all the company's pages.
 */
export async function broadcastPhases(ctx: BenchContext, target: DeliveryTarget, companies: readonly BroadcastCompany[]): Promise<PhaseResult[]> {
  const { options, pool } = ctx;
  const results: PhaseResult[] = [];
  for (const company of companies) {
    const window = Math.max(8, Math.min(options.window, Math.ceil(DELIVERIES_IN_FLIGHT / company.size)));
    ctx.log(`broadcast to ${company.size} pages (window ${window}) → ${target.system}`);
    const spec = {
      transport: target.transport,
      targets: { kind: 'company', companyID: company.companyID, sentinelUid: company.sentinelUid },
      pace: { kind: 'window', size: window },
      durationMs: (options.durationS * 1000) / 2,
      payloadBytes: options.payloadBytes,
    } as const;
    results.push(
      await runDeliveryPhase(pool, {
        group: target.group,
        system: target.system,
        processes: target.processes,
        sampler: target.sampler,
        stages: target.stages,
        label: `broadcast ${company.size} pages`,
        pace: `window ${window}`,
        specs: pool.agents.map((_, index) => (index === 0 ? spec : undefined)),
        recordsAcrossAgents: 'max',
        expected: (drives) => drives.reduce((sum, drive) => sum + drive.accepted, 0) * company.size,
      }),
    );
  }
  return results;
}
