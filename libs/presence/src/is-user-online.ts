import { isCluster, type RedisClient } from '@notify/redis';
import { presenceKeys, uidOfMember } from './presence-keys.js';

/**
 * Whether `uid` has a page open in `companyID` on any gateway, judged by the sessions' expiry (Redis
 * time) as {@link readOnline} judges it, so a crashed gateway's users stop counting when their lease
 * runs out even when no gateway is left to sweep them.
 *
 * The uid hash holds how many sessions (one per gateway) the user has, expired or not; the user is
 * online when more of them exist than have expired. Only expired, not yet swept sessions are read,
 * which are normally none: the cost does not grow with the number of users online. Plain reads,
 * no script, so it answers even while Redis pauses writes (a failover).
 */
export async function isUserOnline(redis: RedisClient, prefix: string, companyID: string, uid: string): Promise<boolean> {
  const keys = presenceKeys(prefix, companyID, isCluster(redis));
  const [seconds = 0, micros = 0] = await redis.time();
  const now = Number(seconds) * 1000 + Math.floor(Number(micros) / 1000);
  // One transaction: the presence script changes both keys at once, so they are read as one.
  const replies = (await redis.multi().hget(keys.uids, uid).zrangebyscore(keys.sessions, '-inf', `(${now}`).exec()) ?? [];
  const [holders, expired] = replies.map(([error, value]) => {
    if (error) throw error;
    return value;
  }) as [string | null, string[]];
  const sessions = Number(holders ?? 0);
  if (sessions === 0) return false;
  return sessions > expired.filter((member) => uidOfMember(member) === uid).length;
}
