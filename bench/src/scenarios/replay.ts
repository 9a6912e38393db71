import { gatewayUrl, type BenchContext } from '../bench-context.js';
import { LatencyHistogram, type LatencySummary } from '../latency-histogram.js';
import { mintTokens } from '../page-plan.js';
import { MessageSeeder } from '../seed-messages.js';

/** Users whose page catches up after missing {@link CATCH_UP_MISSED} messages. */
const CATCH_UP_USERS = 4;
/** Messages a catching-up page missed; it held the {@link CATCH_UP_HELD} before them. */
export const CATCH_UP_MISSED = 1000;
const CATCH_UP_HELD = 20;
/** Messages the catch-up users add to the store, on top of the replay seed. */
export const CATCH_UP_SEED = CATCH_UP_USERS * (CATCH_UP_MISSED + CATCH_UP_HELD);
/** Passes over the users timing their requests, per stored size. */
const INBOX_ROUNDS = 25;

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
  /** A page's `list_messages` (first page of 20), round trip. */
  listMs: LatencySummary;
  /** A page's `catch_up` after missing 1,000 messages (1,020 in the answer), round trip. */
  catchUpMs: LatencySummary;
  /** Page requests that failed (`firstError` says why). */
  requestsFailed: number;
}

/**
 * Replay: `--replay-users` users, each with `--replay-unread` unread messages, log in one after
 * another (the `login` event) while `--replay-stored` messages are stored: seeded straight into the
 * store in batches, first the smaller size (with the users' unread among them), then topped up.
 * At each size it also times a page's own requests: the first page of its list, and a catch-up of
 * a page that held 20 messages and missed the 1,000 after them (4 such users, seeded first).
 */
export async function runReplay(ctx: BenchContext): Promise<ReplayMeasurement[]> {
  const { options, pool, bench } = ctx;
  const users = Array.from({ length: options.replayUsers }, (_, n) => ({ uid: `r${n}`, companyID: `rc${n % 10}` }));
  const catchUpUsers = Array.from({ length: CATCH_UP_USERS }, (_, n) => ({ uid: `cu${n}`, companyID: 'cuc' }));
  const tokens = await mintTokens(bench.stack.client, [...users, ...catchUpUsers]);
  const specs = users.map((user) => ({ ...user, token: tokens.get(user.uid) ?? '' }));
  const store = await bench.openStore();
  const results: ReplayMeasurement[] = [];
  try {
    const seeder = new MessageSeeder(store, { users, unread: options.replayUnread });
    const catchUpFrom = await seeder.seedCatchUp(catchUpUsers, CATCH_UP_HELD + CATCH_UP_MISSED);
    const inboxUsers = [
      ...specs.slice(0, 10),
      ...catchUpUsers.map((user) => ({ ...user, token: tokens.get(user.uid) ?? '', catchUpFrom: catchUpFrom.get(user.uid) as string })),
    ];
    for (const stored of options.replayStored) {
      const seedStarted = Date.now();
      ctx.log(`replay: seeding the store up to ${stored.toLocaleString('en')} messages`);
      await seeder.seedTo(stored);
      const seedS = (Date.now() - seedStarted) / 1000;
      ctx.log(`replay: ${options.replayLogins} logins with ${stored.toLocaleString('en')} stored (seeded in ${seedS.toFixed(1)} s)`);
      const agent = pool.agents[0];
      if (!agent) throw new Error('no agent');
      const replay = await agent.call({ cmd: 'replay', url: gatewayUrl(bench), users: specs, logins: options.replayLogins, timeoutMs: 10_000 });
      ctx.log(`replay: timing list_messages and catch_up with ${stored.toLocaleString('en')} stored`);
      const inbox = await agent.call({ cmd: 'inbox', url: gatewayUrl(bench), users: inboxUsers, rounds: INBOX_ROUNDS, timeoutMs: 10_000 });
      const firstError = replay.firstError ?? inbox.firstError;
      results.push({
        stored: stored + CATCH_UP_SEED,
        logins: replay.replayedPerLogin.length,
        failed: replay.failed,
        ...(firstError ? { firstError } : {}),
        replayedMin: Math.min(...replay.replayedPerLogin),
        replayedMax: Math.max(...replay.replayedPerLogin),
        latencyMs: LatencyHistogram.from([replay.latency]).summary(),
        seedS: Math.round(seedS * 10) / 10,
        listMs: LatencyHistogram.from([inbox.list]).summary(),
        catchUpMs: LatencyHistogram.from([inbox.catchUp]).summary(),
        requestsFailed: inbox.failed,
      });
    }
  } finally {
    await store.close();
  }
  return results;
}
