import { TOKEN_TTL_MAX_SECONDS } from '@notify/contracts';
import type { BrowserIdentity } from './browser-token.js';

/** Whose tokens a revocation refuses: one user's (in every company) or one company's. */
export type RevocationScope = { uid: string } | { companyID: string };

/**
 * How long a revocation is kept (ms): the longest lifetime `POST /v1/tokens` mints (7 days) plus a
 * minute; every token it refuses has expired by then anyway.
 */
export const REVOCATION_RETAIN_MS = (TOKEN_TTL_MAX_SECONDS + 60) * 1000;

/** The Redis key of a scope's "not before" (epoch ms) under a key prefix (`REDIS_PREFIX`). */
export function notBeforeKey(prefix: string, scope: RevocationScope): string {
  return 'uid' in scope ? `${prefix}:tokens:not-before:uid:${scope.uid}` : `${prefix}:tokens:not-before:company:${scope.companyID}`;
}

/** The keys of every "not before" that can apply to `identity`: its user's, then its company's. */
export function notBeforeKeys(prefix: string, identity: BrowserIdentity): [string, string] {
  return [notBeforeKey(prefix, { uid: identity.uid }), notBeforeKey(prefix, { companyID: identity.companyID })];
}

/**
 * Whether a token minted at `issuedAtMs` is refused by a "not before" of `notBefore` (both epoch
 * ms): minted at or before it, or at an unknown time, it is.
 */
export function isRevoked(issuedAtMs: number | undefined, notBefore: number | undefined): boolean {
  if (notBefore === undefined) return false;
  return issuedAtMs === undefined || issuedAtMs <= notBefore;
}
