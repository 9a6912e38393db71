import { jwtVerify, SignJWT } from 'jose';
import { BrowserTokenClaims, IDENTIFIER_PATTERN } from '@notify/contracts';

/** Who a verified browser token is for. */
export interface BrowserIdentity {
  uid: string;
  companyID: string;
}

/** A verified browser token: who it is for, and its lifetime. */
export interface VerifiedBrowserToken {
  identity: BrowserIdentity;
  /** `exp`, in epoch ms. */
  expiresAtMs: number;
  /**
   * When it was minted, in epoch ms: `iat_ms` (tokens notify mints), else `iat` × 1000 (tokens a
   * backend minted itself), else undefined.
   */
  issuedAtMs: number | undefined;
}

const ALGORITHM = 'HS256';
const encoder = new TextEncoder();

/**
 * Signs a browser token for `uid` in `companyID`, valid for at least `ttlSeconds`: `exp` is whole
 * seconds, rounded up, so a 3-second token lives 3 to 4 seconds, never less. Besides `iat` (whole
 * seconds) it carries `iat_ms`, the minting time in ms, which cut-offs compare against.
 */
export async function signBrowserToken(
  secret: string,
  identity: BrowserIdentity,
  ttlSeconds: number,
  now: Date = new Date(),
): Promise<{ token: string; expiresAt: string }> {
  const issuedAtMs = now.getTime();
  const exp = Math.ceil(issuedAtMs / 1000) + ttlSeconds;
  const token = await new SignJWT({ cid: identity.companyID, iat_ms: issuedAtMs })
    .setProtectedHeader({ alg: ALGORITHM, typ: 'JWT' })
    .setSubject(identity.uid)
    .setIssuedAt(Math.floor(issuedAtMs / 1000))
    .setExpirationTime(exp)
    .sign(encoder.encode(secret));
  return { token, expiresAt: new Date(exp * 1000).toISOString() };
}

/**
 * The identity and lifetime in a browser token, or null when the token is forged, expired,
 * malformed, signed with another secret or algorithm (`alg: none` included), or names an invalid uid.
 */
export async function readBrowserToken(secret: string, token: unknown): Promise<VerifiedBrowserToken | null> {
  if (typeof token !== 'string' || token.length === 0 || token.length > 4096) return null;
  try {
    const { payload } = await jwtVerify(token, encoder.encode(secret), { algorithms: [ALGORITHM], requiredClaims: ['exp', 'sub'] });
    const claims = BrowserTokenClaims.safeParse(payload);
    if (!claims.success) return null;
    const { sub, cid, exp, iat, iat_ms: iatMs } = claims.data;
    if (!IDENTIFIER_PATTERN.test(sub) || !IDENTIFIER_PATTERN.test(cid)) return null;
    return {
      identity: { uid: sub, companyID: cid },
      expiresAtMs: exp * 1000,
      issuedAtMs: iatMs ?? (iat === undefined ? undefined : iat * 1000),
    };
  } catch {
    return null;
  }
}

/** The identity in a browser token, or null when {@link readBrowserToken} refuses it. */
export async function verifyBrowserToken(secret: string, token: unknown): Promise<BrowserIdentity | null> {
  return (await readBrowserToken(secret, token))?.identity ?? null;
}
