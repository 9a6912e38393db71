import { EventEmitter } from 'node:events';
import { busChannel, busShardChannel, busShardOf } from '@notify/contracts';
import { isCluster, type RedisClient } from '@notify/redis';
import { LocalSessions } from './local-sessions.js';
import { periodic } from './periodic.js';
import { PresenceOptionsError, PresenceStoppedError } from './presence-errors.js';
import { presenceCompaniesKey, presenceKeys, presenceSweepLockKey, sessionMember, uidOfMember } from './presence-keys.js';
import { presenceTiming, type PresenceTiming } from './presence-timing.js';
import { runPresenceScript, type PresenceScriptResult, type SessionOp } from './run-presence-script.js';

/** Default {@link PresenceOptions.ttlMs}: the contract's "stop counting within 30 s" (docs/contract.md). */
export const DEFAULT_PRESENCE_TTL_MS = 30_000;

/** Options of a {@link PresenceTracker}. */
export interface PresenceOptions {
  /** Key and channel prefix (`REDIS_PREFIX`), e.g. `'notify'`. */
  prefix: string;
  /** This process's id (also the `origin` of the events it publishes). Unique per gateway process. */
  gatewayId: string;
  /** A crashed gateway's users stop counting after at most this long. Default 30 000 ms. */
  ttlMs?: number;
}

/** Events of a {@link PresenceTracker}. */
export interface PresenceTrackerEvents {
  /** A heartbeat or sweep failed (usually Redis unreachable); the timers keep running. */
  error: [error: Error];
}

const SWEEP_BATCH = 100;

/**
 * Who is online, per company, as seen by one gateway process. Pages are counted in memory; Redis
 * holds one session per (gateway, user) that expires unless heartbeats keep it alive, so the users
 * of a gateway that dies without a goodbye drop out on their own. Every count change is published
 * as `presence.changed` on the bus. One tracker per gateway process; call `start()` once it serves.
 */
export class PresenceTracker extends EventEmitter<PresenceTrackerEvents> {
  /** The intervals this tracker runs on, derived from `ttlMs`. */
  readonly timing: PresenceTiming;
  /** On a Redis Cluster: keys by bus shard, changes published on the company's sharded channel. */
  private readonly cluster: boolean;
  private readonly pages = new LocalSessions();
  /** Per company+uid, the tail of its chain of Redis calls (never rejects). */
  private readonly queues = new Map<string, Promise<void>>();
  private stopTimers: (() => Promise<void>)[] = [];
  private stopping: Promise<void> | undefined;

  constructor(
    private readonly redis: RedisClient,
    private readonly options: PresenceOptions,
  ) {
    super();
    if (!options.gatewayId) throw new PresenceOptionsError('gatewayId must not be empty');
    this.timing = presenceTiming(options.ttlMs ?? DEFAULT_PRESENCE_TTL_MS);
    this.cluster = isCluster(redis);
  }

  /** A page of `uid` in `companyID` has logged in on this gateway; resolves with the company's online count. */
  join(companyID: string, uid: string): Promise<number> {
    if (this.stopping) return Promise.reject(new PresenceStoppedError());
    const firstPage = this.pages.open(companyID, uid) === 1;
    return this.sync(companyID, uid, firstPage);
  }

  /** A page of `uid` has gone (a leave without a join is a no-op); resolves with the company's online count. */
  leave(companyID: string, uid: string): Promise<number> {
    const lastPage = this.pages.isOnline(companyID, uid) && this.pages.close(companyID, uid) === 0;
    return this.sync(companyID, uid, lastPage);
  }

  /** Starts the heartbeat and sweep timers (unref'd). Failures are emitted as `'error'`. */
  start(): void {
    if (this.stopping) throw new PresenceStoppedError();
    if (this.stopTimers.length > 0) return;
    const onError = (error: unknown) => this.emit('error', error instanceof Error ? error : new Error(String(error)));
    this.stopTimers = [
      periodic(this.timing.heartbeatMs, () => this.heartbeat(), onError),
      periodic(this.timing.sweepMs, () => this.sweep(), onError),
    ];
  }

  /** Graceful shutdown: stops the timers and removes this gateway's sessions (publishing the drops). */
  stop(): Promise<void> {
    return (this.stopping ??= this.shutdown());
  }

  private async shutdown(): Promise<void> {
    // A heartbeat or sweep already running ends before ours: the owner closes the connection after stop().
    await Promise.all(this.stopTimers.splice(0).map((stop) => stop()));
    const open = this.pages.snapshot();
    this.pages.clear();
    // Calls already queued now find nothing open and remove their session; wait so ours come last.
    await Promise.all(this.queues.values());
    await Promise.all(
      [...open].map(([companyID, uids]) => this.run(companyID, uids.map((uid) => this.op('remove', uid)))),
    );
  }

  /**
   * Brings Redis in line with this gateway's pages for one user, one call at a time per user:
   * a step reads the local state when it runs, not when it was queued, so a tab closing while
   * another opens can never leave the session removed while a page is still open.
   * Steps that changed nothing locally only read the count.
   */
  private sync(companyID: string, uid: string, changed: boolean): Promise<number> {
    const step = changed ? () => this.write(companyID, uid) : () => this.readCount(companyID);
    const key = `${companyID}|${uid}`;
    const result = (this.queues.get(key) ?? Promise.resolve()).then(step);
    const tail = result.then(
      () => undefined,
      () => undefined,
    );
    this.queues.set(key, tail);
    void tail.then(() => {
      if (this.queues.get(key) === tail) this.queues.delete(key);
    });
    return result;
  }

  private async write(companyID: string, uid: string): Promise<number> {
    const online = this.pages.isOnline(companyID, uid);
    const { count } = await this.run(companyID, [this.op(online ? 'add' : 'remove', uid)]);
    // After the session exists, so a sweeper that just dropped the company from the set sees it again.
    if (online) await this.redis.sadd(presenceCompaniesKey(this.options.prefix), companyID);
    return count;
  }

  private async readCount(companyID: string): Promise<number> {
    return this.redis.hlen(this.keys(companyID).uids);
  }

  /** Refreshes this gateway's sessions; puts back any that Redis lost or pruned while pages are open. */
  private async heartbeat(): Promise<void> {
    const open = this.pages.snapshot();
    await Promise.all(
      [...open].map(async ([companyID, uids]) => {
        const { missing } = await this.run(companyID, uids.map((uid) => this.op('refresh', uid)));
        await Promise.all(missing.map((member) => this.sync(companyID, uidOfMember(member), true)));
      }),
    );
    // Re-registers the companies in case a sweeper crashed between its SREM and its check.
    if (open.size > 0) await this.redis.sadd(presenceCompaniesKey(this.options.prefix), [...open.keys()]);
  }

  /** If no other gateway swept within the last `sweepMs`, prunes expired sessions of every company. */
  private async sweep(): Promise<void> {
    const { prefix, gatewayId } = this.options;
    const locked = await this.redis.set(presenceSweepLockKey(prefix), gatewayId, 'PX', this.timing.sweepMs, 'NX');
    if (locked !== 'OK') return;
    let cursor = '0';
    do {
      const [next, companyIDs] = await this.redis.sscan(presenceCompaniesKey(prefix), cursor, 'COUNT', SWEEP_BATCH);
      cursor = next;
      await Promise.all(companyIDs.map((companyID) => this.sweepCompany(companyID)));
    } while (cursor !== '0');
  }

  private async sweepCompany(companyID: string): Promise<void> {
    const { sessions } = await this.run(companyID, []);
    if (sessions > 0) return;
    // The set and the sessions live in different cluster slots, so no script can do this atomically.
    // Removing first and looking again is safe: a gateway adding a session right now either
    // SADDs after our SREM, or added before it and is counted by the ZCARD below.
    const companies = presenceCompaniesKey(this.options.prefix);
    await this.redis.srem(companies, companyID);
    if ((await this.redis.zcard(this.keys(companyID).sessions)) > 0) {
      await this.redis.sadd(companies, companyID);
    }
  }

  private run(companyID: string, ops: SessionOp[]): Promise<PresenceScriptResult> {
    return runPresenceScript(this.redis, {
      keys: this.keys(companyID),
      channel: this.cluster ? busShardChannel(this.options.prefix, busShardOf(companyID)) : busChannel(this.options.prefix),
      sharded: this.cluster,
      origin: this.options.gatewayId,
      companyID,
      leaseMs: this.timing.leaseMs,
      ops,
    });
  }

  private keys(companyID: string) {
    return presenceKeys(this.options.prefix, companyID, this.cluster);
  }

  private op(kind: SessionOp['kind'], uid: string): SessionOp {
    return { kind, member: sessionMember(this.options.gatewayId, uid) };
  }
}
