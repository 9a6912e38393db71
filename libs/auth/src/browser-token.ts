import { jwtVerify, SignJWT } from 'jose';
import { BrowserTokenClaims, IDENTIFIER_PATTERN } from '@notify/contracts';

/** Who a verified browser token is for. */
export interface BrowserIdentity {
  uid: string;
  companyID: string;
}

const ALGORITHM = 'HS256';
const encoder = new TextEncoder();

/** Signs a browser token for `uid` in `companyID`, valid for `ttlSeconds`. */
export async function signBrowserToken(
  secret: string,
  identity: BrowserIdentity,
  ttlSeconds: number,
  now: Date = new Date(),
): Promise<{ token: string; expiresAt: string }> {
  const issuedAt = Math.floor(now.getTime() / 1000);
  const exp = issuedAt + ttlSeconds;
  const token = await new SignJWT({ cid: identity.companyID })
    .setProtectedHeader({ alg: ALGORITHM, typ: 'JWT' })
    .setSubject(identity.uid)
    .setIssuedAt(issuedAt)
    .setExpirationTime(exp)
    .sign(encoder.encode(secret));
  return { token, expiresAt: new Date(exp * 1000).toISOString() };
}

/**
 * The identity in a browser token, or null when the token is forged, expired, malformed,
 * signed with another secret or algorithm (`alg: none` included), or names an invalid uid.
 */
export async function verifyBrowserToken(secret: string, token: unknown): Promise<BrowserIdentity | null> {
  if (typeof token !== 'string' || token.length === 0 || token.length > 4096) return null;
  try {
    const { payload } = await jwtVerify(token, encoder.encode(secret), { algorithms: [ALGORITHM], requiredClaims: ['exp', 'sub'] });
    const claims = BrowserTokenClaims.safeParse(payload);
    if (!claims.success) return null;
    const { sub, cid } = claims.data;
    if (!IDENTIFIER_PATTERN.test(sub) || !IDENTIFIER_PATTERN.test(cid)) return null;
    return { uid: sub, companyID: cid };
  } catch {
    return null;
  }
}
