import { busShardOf, busShardTag } from '@notify/contracts';

/**
 * Redis key names of the presence data under a key prefix (`REDIS_PREFIX`). Their hash tag keeps
 * one company's keys in one Redis Cluster slot, so the presence script, which touches all of them,
 * is single-slot: on one server `{companyID}` (as always); on a Redis Cluster (`cluster`) the tag
 * of the company's bus shard (`{n}`), so the script also publishes the change on the company's
 * sharded channel, which lives in that same slot.
 */
export const presenceKeys = (prefix: string, companyID: string, cluster = false) => {
  const base = cluster ? `${prefix}:presence:${busShardTag(busShardOf(companyID))}:${companyID}` : `${prefix}:presence:{${companyID}}`;
  return {
    /** Sorted set: member `<gatewayId>|<uid>`, score = the session's expiry (Redis time, ms). */
    sessions: `${base}:sessions`,
    /** Hash: uid → number of sessions (gateways) holding it; its length is the online count. */
    uids: `${base}:uids`,
  } as const;
};
export type PresenceKeys = ReturnType<typeof presenceKeys>;

/** Set of the companies that may have sessions: what the sweeper visits. */
export const presenceCompaniesKey = (prefix: string) => `${prefix}:presence:companies`;

/** Lock (`SET NX PX`) that lets one gateway at a time run the sweep. */
export const presenceSweepLockKey = (prefix: string) => `${prefix}:presence:sweep-lock`;

/** The sorted-set member of one user's sessions on one gateway. Uids never contain `|`. */
export const sessionMember = (gatewayId: string, uid: string) => `${gatewayId}|${uid}`;

/** The uid of a {@link sessionMember}: what follows its last `|`. */
export const uidOfMember = (member: string) => member.slice(member.lastIndexOf('|') + 1);
