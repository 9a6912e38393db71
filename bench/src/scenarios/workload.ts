import type { AgentPool } from '../agents/agent-pool.js';
import type { ConnectResult, PageAuth, PageSpec } from '../agents/agent-protocol.js';
import type { BenchContext } from '../bench-context.js';
import { mintTokens, pagesByAgent, usersForPages, usersWithTabs, type PlannedUser } from '../page-plan.js';

/** The company of the fan-out scenario's users. */
export const FANOUT_COMPANY = 'foc';

/** The page group of the fan-out scenario's pages on a target whose pages are `group`. */
export const fanoutGroup = (group: string) => `${group}-fanout`;

/** One broadcast company: `size` open pages, the last of them the sentinel page held by agent 0. */
export interface BroadcastCompany {
  size: number;
  companyID: string;
  sentinelUid: string;
}

/**
 * The pages of the unicast and broadcast scenarios, with tokens minted once: connected to the
 * pipeline's gateway and then, the very same pages, to each baseline server.
 */
export class Workload {
  private constructor(
    private readonly pages: PageSpec[][],
    private readonly sentinels: PageSpec[],
    readonly unicastUsers: PlannedUser[],
    readonly broadcast: BroadcastCompany[],
    /** The fan-out scenario's pages (one per user), a group of their own so nothing else is sent to them. */
    private readonly fanoutPages: PageSpec[][],
  ) {}

  /** The fan-out scenario's receivers, each with one page open; none without that scenario. */
  get fanoutUids(): string[] {
    return this.fanoutPages.flat().map((page) => page.uid);
  }

  /** Pages of the unicast and broadcast scenarios (the fan-out pages come on top). */
  get pageCount(): number {
    return this.pages.reduce((sum, pages) => sum + pages.length, 0) + this.sentinels.length;
  }

  static async plan(ctx: BenchContext, withUnicast: boolean, withBroadcast: boolean, withFanout = false): Promise<Workload> {
    const { options } = ctx;
    const agents = options.agents;
    const unicastUsers = withUnicast ? usersWithTabs('u', options.users, (index) => `c${index % options.companies}`, agents) : [];
    const broadcastUsers: PlannedUser[] = [];
    const broadcast: BroadcastCompany[] = [];
    const sentinelUsers: PlannedUser[] = [];
    for (const size of withBroadcast ? options.broadcastSizes : []) {
      const companyID = `bc${size}`;
      // Users with 1–3 tabs, like everyone else, then the sentinel page the driver watches.
      const members = usersForPages(`b${size}-`, Math.max(0, size - 1), Number.MAX_SAFE_INTEGER, agents).map((user) => ({ ...user, companyID }));
      broadcastUsers.push(...members);
      const sentinel = { uid: `b${size}-sentinel`, companyID, tabs: 1, agent: 0 };
      sentinelUsers.push(sentinel);
      broadcast.push({ size, companyID, sentinelUid: sentinel.uid });
    }
    const fanoutUsers = withFanout
      ? Array.from({ length: options.fanoutReceivers }, (_, index) => ({ uid: `fo${index}`, companyID: FANOUT_COMPANY, tabs: 1, agent: index % agents }))
      : [];
    const everyone = [...unicastUsers, ...broadcastUsers, ...sentinelUsers, ...fanoutUsers];
    const started = Date.now();
    const tokens = await mintTokens(ctx.bench.stack.client, everyone);
    ctx.log(`minted ${tokens.size} browser tokens with POST /v1/tokens in ${((Date.now() - started) / 1000).toFixed(1)} s`);
    const pages = pagesByAgent([...unicastUsers, ...broadcastUsers], tokens, agents);
    const sentinels = pagesByAgent(sentinelUsers, tokens, agents).flat();
    return new Workload(pages, sentinels, unicastUsers, broadcast, pagesByAgent(fanoutUsers, tokens, agents));
  }

  /**
   * Opens every page on `url` as group `group`; the sentinels last, so they are last in their rooms;
   * with `fanout`, the fan-out pages too, as group {@link fanoutGroup}.
   */
  async connect(pool: AgentPool, group: string, url: string, auth: PageAuth, readyEvent: 'connect' | 'session', fanout = false): Promise<ConnectResult> {
    const started = performance.now();
    const command = { cmd: 'connect', group, url, auth, readyEvent, concurrency: 32, timeoutMs: 30_000 } as const;
    const results = await Promise.all(pool.agents.map((agent, index) => agent.call({ ...command, pages: this.pages[index] ?? [] })));
    if (this.sentinels.length > 0) results.push(await pool.agents[0]!.call({ ...command, pages: this.sentinels }));
    if (fanout && this.fanoutPages.some((pages) => pages.length > 0)) {
      results.push(...(await Promise.all(pool.agents.map((agent, index) => agent.call({ ...command, group: fanoutGroup(group), pages: this.fanoutPages[index] ?? [] })))));
    }
    return mergeConnects(results, performance.now() - started);
  }
}

export function mergeConnects(results: readonly ConnectResult[], elapsedMs: number): ConnectResult {
  return {
    connected: results.reduce((sum, r) => sum + r.connected, 0),
    failed: results.reduce((sum, r) => sum + r.failed, 0),
    firstError: results.find((r) => r.firstError)?.firstError,
    elapsedMs,
  };
}
