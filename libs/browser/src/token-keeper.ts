import { InboxError } from './inbox-error.js';
import { readTokenClaims, type TokenClaims } from './token-claims.js';

/** Gives the page's current browser token: typically asks the page's own backend (which mints it with `POST /v1/tokens`). */
export type TokenProvider = () => Promise<string> | string;

interface HeldToken {
  token: string;
  claims: TokenClaims;
  /** When it is due for replacement, ms since the epoch by this page's clock; undefined when its expiry is unknown. */
  dueAt: number | undefined;
}

/**
 * Holds the current token and says when to replace it: at `refreshAt` of the time it had left when
 * the page received it. Without `exp` (not a JWT) it is never replaced on a timer, only when the
 * gateway refuses it or ends the session.
 */
export class TokenKeeper {
  private held: HeldToken | undefined;

  constructor(
    private readonly provider: TokenProvider,
    private readonly refreshAt: number,
  ) {}

  /** The claims of the token held now. */
  get claims(): TokenClaims | undefined {
    return this.held?.claims;
  }

  /** When the held token should be replaced (ms since the epoch), if known. */
  get dueAt(): number | undefined {
    return this.held?.dueAt;
  }

  /** A token for a new connection: the one held while it is not due yet, else a new one. */
  async forConnection(now: number = Date.now()): Promise<string> {
    const held = this.held;
    if (held && (held.dueAt === undefined || held.dueAt > now)) return held.token;
    return this.fetch(now);
  }

  /** A new token from the provider, held from now on. */
  async fetch(now: number = Date.now()): Promise<string> {
    let token: unknown;
    try {
      token = await this.provider();
    } catch (error) {
      throw new InboxError('token', `the token provider failed: ${error instanceof Error ? error.message : String(error)}`, 'token');
    }
    if (typeof token !== 'string' || token.length === 0) throw new InboxError('token', 'the token provider gave no token', 'token');
    const claims = readTokenClaims(token);
    this.held = { token, claims, dueAt: dueAt(claims, now, this.refreshAt) };
    return token;
  }

  /** Drops the held token (the gateway refused it), so the next connection asks the provider. */
  forget(): void {
    this.held = undefined;
  }
}

function dueAt({ issuedAt, expiresAt }: TokenClaims, receivedAt: number, refreshAt: number): number | undefined {
  if (expiresAt === undefined) return undefined;
  // Two estimates of the time left: the token's own lifetime (immune to this page's clock being
  // off, right for a freshly minted token) and `exp` by this page's clock (right for a token the
  // backend minted a while ago). The shorter wins.
  const left: number[] = [];
  if (issuedAt !== undefined && issuedAt < expiresAt) left.push(expiresAt - issuedAt);
  if (expiresAt > receivedAt) left.push(expiresAt - receivedAt);
  return left.length === 0 ? receivedAt : receivedAt + Math.min(...left) * refreshAt;
}
