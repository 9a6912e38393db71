/** What a page can read in its browser token without verifying it (only the gateway can). */
export interface TokenClaims {
  uid?: string;
  companyID?: string;
  /** When it was minted, ms since the epoch (`iat_ms`, else `iat`), by the minting server's clock. */
  issuedAt?: number;
  /** When it expires, ms since the epoch (`exp`), by the minting server's clock. */
  expiresAt?: number;
}

/** The claims of a JWT, or `{}` for anything that is not one: decoded, never verified. */
export function readTokenClaims(token: string): TokenClaims {
  const payload = token.split('.')[1];
  if (!payload) return {};
  let claims: unknown;
  try {
    claims = JSON.parse(decodeBase64Url(payload));
  } catch {
    return {};
  }
  if (typeof claims !== 'object' || claims === null) return {};
  const { sub, cid, iat, iat_ms: iatMs, exp } = claims as Record<string, unknown>;
  const result: TokenClaims = {};
  if (typeof sub === 'string') result.uid = sub;
  if (typeof cid === 'string') result.companyID = cid;
  if (isTime(iatMs)) result.issuedAt = iatMs;
  else if (isTime(iat)) result.issuedAt = iat * 1000;
  if (isTime(exp)) result.expiresAt = exp * 1000;
  return result;
}

const isTime = (value: unknown): value is number => typeof value === 'number' && Number.isFinite(value) && value > 0;

function decodeBase64Url(text: string): string {
  const base64 = text.replace(/-/g, '+').replace(/_/g, '/');
  const binary = atob(base64 + '='.repeat((4 - (base64.length % 4)) % 4));
  return new TextDecoder().decode(Uint8Array.from(binary, (char) => char.charCodeAt(0)));
}
