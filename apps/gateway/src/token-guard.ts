import type { RedisClient } from '@notify/redis';
import { ErrorCode } from '@notify/contracts';
import {
  isRevoked,
  notBeforeKeys,
  readBrowserToken,
  type BrowserIdentity,
  type RevocationScope,
  type VerifiedBrowserToken,
} from '@notify/auth';
import { withTimeout, type Logger } from '@notify/observability';

export interface TokenGuardOptions {
  /** `JWT_SECRET`: browser tokens are HS256 with it. */
  secret: string;
  /** Key prefix (`REDIS_PREFIX`) of the revocations ("not before" keys). */
  prefix: string;
  /** How long the "not before" lookup in Redis may take before the check fails `unavailable` (ms). Default 1000. */
  lookupTimeoutMs?: number;
}

/** The outcome of checking a browser token: its lifetime, or the error code a page is refused with. */
export type TokenCheck =
  | { ok: true; token: VerifiedBrowserToken }
  | { ok: false; code: typeof ErrorCode.unauthorized; revoked: false }
  /** `notBefore`: the revocation that refused it (epoch ms). */
  | { ok: false; code: typeof ErrorCode.unauthorized; revoked: true; notBefore: number }
  /** Redis did not say in time whether the token is revoked: refused (fail closed). */
  | { ok: false; code: typeof ErrorCode.unavailable };

/** How long a revocation heard on the bus is also held in memory (ms): far longer than any lookup may take. */
const HEARD_RETAIN_MS = 60_000;

const parseNotBefore = (value: string | null) => {
  const notBefore = Number(value ?? Number.NaN);
  return Number.isFinite(notBefore) ? notBefore : undefined;
};

/**
 * Checks browser tokens for the handshake, `login` and `refresh_token`: signature and expiry, then
 * the user's and the company's "not before" in Redis (a revocation refuses the tokens minted at or
 * before it). When Redis does not answer within the lookup timeout the token is refused with
 * `unavailable`: a cut-off user must not get back in because Redis is slow.
 */
export class TokenGuard {
  private readonly lookupTimeoutMs: number;
  /** `uid:<uid>` / `company:<companyID>` → the latest revocation heard on the bus, and until when it is held. */
  private readonly heard = new Map<string, { notBefore: number; until: number }>();

  constructor(
    private readonly redis: RedisClient,
    private readonly options: TokenGuardOptions,
    private readonly logger: Logger,
  ) {
    this.lookupTimeoutMs = options.lookupTimeoutMs ?? 1000;
  }

  async check(raw: unknown): Promise<TokenCheck> {
    const token = await readBrowserToken(this.options.secret, raw);
    if (!token) return { ok: false, code: ErrorCode.unauthorized, revoked: false };
    let notBefore: number | undefined;
    try {
      notBefore = await this.notBefore(token.identity);
    } catch (error) {
      this.logger.warn({ err: error, uid: token.identity.uid }, 'token check: Redis did not answer the revocation lookup; refusing the token');
      return { ok: false, code: ErrorCode.unavailable };
    }
    if (notBefore !== undefined && isRevoked(token.issuedAtMs, notBefore)) {
      return { ok: false, code: ErrorCode.unauthorized, revoked: true, notBefore };
    }
    return { ok: true, token };
  }

  /**
   * The latest "not before" (epoch ms) that applies to `identity`, its user's or its company's, or
   * undefined; rejects when Redis does not answer within the lookup timeout.
   */
  async notBefore(identity: BrowserIdentity): Promise<number | undefined> {
    const keys = notBeforeKeys(this.options.prefix, identity);
    const stored = await withTimeout(Promise.all(keys.map((key) => this.redis.get(key))), this.lookupTimeoutMs);
    // Read after Redis answered: a revocation whose bus event came in while the lookup was under way
    // (and so found no socket to end yet) is seen here, before the socket joins its rooms.
    const values = [
      ...stored.map(parseNotBefore),
      this.heardFor(`uid:${identity.uid}`),
      this.heardFor(`company:${identity.companyID}`),
    ].filter((value): value is number => value !== undefined);
    return values.length === 0 ? undefined : Math.max(...values);
  }

  /** A revocation heard on the bus (`tokens.revoked`). */
  revoked(scope: RevocationScope, notBefore: number): void {
    const now = Date.now();
    for (const [key, entry] of this.heard) if (entry.until <= now) this.heard.delete(key);
    const key = 'uid' in scope ? `uid:${scope.uid}` : `company:${scope.companyID}`;
    const previous = this.heard.get(key)?.notBefore ?? 0;
    this.heard.set(key, { notBefore: Math.max(previous, notBefore), until: now + HEARD_RETAIN_MS });
  }

  private heardFor(key: string): number | undefined {
    const entry = this.heard.get(key);
    return entry && entry.until > Date.now() ? entry.notBefore : undefined;
  }
}
