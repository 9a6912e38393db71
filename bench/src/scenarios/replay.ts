import { gatewayUrl, type BenchContext } from '../bench-context.js';
import { LatencyHistogram, type LatencySummary } from '../latency-histogram.js';
import { mintTokens } from '../page-plan.js';
import { MessageSeeder } from '../seed-messages.js';

export interface ReplayMeasurement {
  stored: number;
  logins: number;
  failed: number;
  firstError?: string;
  /** Fewest and most messages replayed per login (should be `--replay-unread`). */
  replayedMin: number;
  replayedMax: number;
  /** login → the last replayed `new_msg` and `unread_count`. */
  latencyMs: LatencySummary;
  /** How long seeding up to this size took (s). */
  seedS: number;
}

/**
 * Replay: `--replay-users` users, each with `--replay-unread` unread messages, log in one after
 * another (the `login` event) while `--replay-stored` messages are stored: seeded straight into the
 * store in batches, first the smaller size (with the users' unread among them), then topped up.
 */
export async function runReplay(ctx: BenchContext): Promise<ReplayMeasurement[]> {
  const { options, pool, bench } = ctx;
  const users = Array.from({ length: options.replayUsers }, (_, n) => ({ uid: `r${n}`, companyID: `rc${n % 10}` }));
  const tokens = await mintTokens(bench.stack.client, users);
  const specs = users.map((user) => ({ ...user, token: tokens.get(user.uid) ?? '' }));
  const store = await bench.openStore();
  const results: ReplayMeasurement[] = [];
  try {
    const seeder = new MessageSeeder(store, { users, unread: options.replayUnread });
    for (const stored of options.replayStored) {
      const seedStarted = Date.now();
      ctx.log(`replay: seeding the store up to ${stored.toLocaleString('en')} messages`);
      await seeder.seedTo(stored);
      const seedS = (Date.now() - seedStarted) / 1000;
      ctx.log(`replay: ${options.replayLogins} logins with ${stored.toLocaleString('en')} stored (seeded in ${seedS.toFixed(1)} s)`);
      const agent = pool.agents[0];
      if (!agent) throw new Error('no agent');
      const replay = await agent.call({ cmd: 'replay', url: gatewayUrl(bench), users: specs, logins: options.replayLogins, timeoutMs: 10_000 });
      results.push({
        stored,
        logins: replay.replayedPerLogin.length,
        failed: replay.failed,
        ...(replay.firstError ? { firstError: replay.firstError } : {}),
        replayedMin: Math.min(...replay.replayedPerLogin),
        replayedMax: Math.max(...replay.replayedPerLogin),
        latencyMs: LatencyHistogram.from([replay.latency]).summary(),
        seedS: Math.round(seedS * 10) / 10,
      });
    }
  } finally {
    await store.close();
  }
  return results;
}
