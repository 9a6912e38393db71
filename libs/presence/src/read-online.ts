import { isCluster, type RedisClient } from '@notify/redis';
import { presenceKeys, uidOfMember } from './presence-keys.js';

/** The online users of one company. */
export interface OnlineUsers {
  /** Number of distinct online users. */
  count: number;
  /** Their uids, sorted. */
  uids: string[];
}

/**
 * Online users of one company, as any process (the api) sees them. Read-only: sessions that have
 * expired but not been swept yet are left out, judged by Redis time like the tracker's script.
 */
export async function readOnline(redis: RedisClient, prefix: string, companyID: string): Promise<OnlineUsers> {
  const [seconds = 0, micros = 0] = await redis.time();
  const now = Number(seconds) * 1000 + Math.floor(Number(micros) / 1000);
  const members = await redis.zrangebyscore(presenceKeys(prefix, companyID, isCluster(redis)).sessions, now, '+inf');
  // A member is `<gatewayId>|<uid>`; one user on several gateways counts once.
  const uids = [...new Set(members.map(uidOfMember))].sort();
  return { count: uids.length, uids };
}
