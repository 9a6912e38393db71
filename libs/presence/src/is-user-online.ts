import type { Redis } from 'ioredis';
import { presenceKeys } from './presence-keys.js';

/**
 * Whether `uid` has a page open in `companyID` on any gateway: one `HEXISTS` on the uid hash the
 * presence script keeps. Cheap enough to ask per request; after a gateway crash its users still
 * count until the next sweep prunes their expired sessions (within the presence TTL), which
 * {@link readOnline} filters by expiry and this does not.
 */
export async function isUserOnline(redis: Redis, prefix: string, companyID: string, uid: string): Promise<boolean> {
  return (await redis.hexists(presenceKeys(prefix, companyID).uids, uid)) === 1;
}
