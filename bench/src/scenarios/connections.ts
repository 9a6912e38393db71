import { settledResidentBytes } from '@notify/testing';
import { gatewayUrl, type BenchContext } from '../bench-context.js';
import { mintTokens, pagesByAgent, usersForPages } from '../page-plan.js';
import { mergeConnects } from './workload.js';

export interface ConnectionsResult {
  pages: number;
  users: number;
  companies: number;
  connected: number;
  failed: number;
  firstError?: string;
  /** Until every page's session was fully open (its `unread_count` and `update_online_count` received). */
  connectS: number;
  pagesPerS: number;
  gatewayRssBeforeMiB: number;
  gatewayRssAfterMiB: number;
  /** (RSS with the pages idle − RSS before) / pages, each RSS the lowest once it settled. */
  gatewayKiBPerPage: number;
  tokenMintS: number;
  /** `update_online_count` events the pages received while connecting (presence changes fan out per company). */
  onlineCountEvents: number;
}

/** How long to let the gateway settle (before reading its memory, after closing pages): up to 3 s for 10,000 pages. */
const settleMs = (pages: number) => Math.min(3000, 250 + pages / 4);

/**
 * Connections: opens `--pages` authenticated pages (users with 1–3 tabs, `--company-users` per
 * company) on the pipeline's gateway, times it, and reads the gateway's RSS before and after.
 */
export async function runConnections(ctx: BenchContext): Promise<ConnectionsResult> {
  const { options, pool, bench } = ctx;
  const gateway = bench.stack.gateways[0];
  if (!gateway) throw new Error('no gateway');
  const users = usersForPages('k', options.pages, options.companyUsers, pool.agents.length);
  const mintStarted = Date.now();
  const tokens = await mintTokens(bench.stack.client, users);
  const tokenMintS = (Date.now() - mintStarted) / 1000;
  ctx.log(`connections: minted ${tokens.size} tokens in ${tokenMintS.toFixed(1)} s; opening ${options.pages} pages`);
  const byAgent = pagesByAgent(users, tokens, pool.agents.length);

  const before = (await settledResidentBytes(gateway.pid, settleMs(options.pages))) ?? 0;
  const started = performance.now();
  const results = await Promise.all(
    pool.agents.map((agent, index) =>
      agent.call({ cmd: 'connect', group: 'connections', url: gatewayUrl(bench), pages: byAgent[index] ?? [], auth: 'token', readyEvent: 'session', concurrency: 64, timeoutMs: 60_000 }),
    ),
  );
  const connect = mergeConnects(results, performance.now() - started);
  const after = (await settledResidentBytes(gateway.pid, settleMs(options.pages))) ?? 0;
  const stats = await pool.all({ cmd: 'stats', group: 'connections' });
  await pool.all({ cmd: 'disconnect', group: 'connections' });
  ctx.log(`connections: ${connect.connected} open in ${(connect.elapsedMs / 1000).toFixed(1)} s; closing them`);
  await new Promise((resolve) => setTimeout(resolve, settleMs(options.pages)));

  const mib = (bytes: number) => Math.round((bytes / 1024 / 1024) * 10) / 10;
  return {
    pages: options.pages,
    users: users.length,
    companies: new Set(users.map((user) => user.companyID)).size,
    connected: connect.connected,
    failed: connect.failed,
    ...(connect.firstError ? { firstError: connect.firstError } : {}),
    connectS: Math.round(connect.elapsedMs / 10) / 100,
    pagesPerS: Math.round(connect.connected / (connect.elapsedMs / 1000)),
    gatewayRssBeforeMiB: mib(before),
    gatewayRssAfterMiB: mib(after),
    gatewayKiBPerPage: connect.connected > 0 ? Math.round(((after - before) / 1024 / connect.connected) * 10) / 10 : 0,
    tokenMintS: Math.round(tokenMintS * 100) / 100,
    onlineCountEvents: stats.reduce((sum, s) => sum + (s.otherEvents.update_online_count ?? 0), 0),
  };
}
