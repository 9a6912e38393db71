import { companyRoom, ServerEvent, SessionEndReason, userRoom, type TokensRevoked } from '@notify/contracts';
import { isRevoked, type BrowserIdentity, type RevocationScope } from '@notify/auth';
import type { Logger } from '@notify/observability';
import { countedEmit } from './counted-emit.js';
import type { GatewayMetrics } from './gateway-metrics.js';
import type { GatewayServer, GatewaySocket, SessionToken } from './gateway-types.js';
import type { TokenGuard } from './token-guard.js';

/** The longest delay `setTimeout` takes (about 24.8 days); a later expiry is waited for in several turns. */
const MAX_TIMER_MS = 2 ** 31 - 1;

/** Users looked up at once by {@link TokenSessions.recheck}. */
const RECHECK_BATCH = 200;

/**
 * The token side of this gateway's sessions: each socket authenticated with a token ends at the
 * token's `exp` unless `refresh_token` moves it, and ends at once when a revocation covers it. Ending
 * a session sends `session_ended {reason}`, then disconnects the socket from the server side, which
 * socket.io-client does not retry by itself: the page fetches a new token first. Sockets logged in
 * without a token (`ALLOW_UNSIGNED_LOGIN`) never expire; a revocation of their user ends them too.
 */
export class TokenSessions {
  /** socket id → the timer that ends its session at its token's `exp`. */
  private readonly timers = new Map<string, NodeJS.Timeout>();

  constructor(
    private readonly io: GatewayServer,
    private readonly guard: TokenGuard,
    private readonly metrics: GatewayMetrics,
    private readonly logger: Logger,
  ) {}

  /** How many sockets have an expiry timer: every token-authenticated socket still connected. */
  get expiring(): number {
    return this.timers.size;
  }

  /** Binds the socket's session to `token`: it ends at `token.expiresAtMs`, replacing any earlier expiry. */
  hold(socket: GatewaySocket, token: SessionToken): void {
    if (socket.disconnected) return;
    socket.data.token = token;
    const timer = this.timers.get(socket.id);
    if (timer) clearTimeout(timer);
    else socket.once('disconnect', () => this.release(socket.id));
    this.expireAt(socket, token.expiresAtMs);
  }

  /** Sends `session_ended {reason}`, then disconnects the socket. */
  end(socket: GatewaySocket, reason: SessionEndReason): void {
    if (socket.disconnected) return;
    this.release(socket.id);
    countedEmit(this.metrics, socket, ServerEvent.sessionEnded, { reason });
    this.metrics.sessionEnded(reason);
    this.logger.debug({ uid: socket.data.identity?.uid, reason }, 'session ended');
    socket.disconnect(true);
  }

  /**
   * `tokens.revoked` from the bus: ends the session of every socket of that user (or company) on this
   * gateway whose token was minted at or before `notBefore`, or that logged in without a token.
   */
  revoked(revocation: TokensRevoked): void {
    const scope: RevocationScope = 'uid' in revocation ? { uid: revocation.uid } : { companyID: revocation.companyID };
    this.guard.revoked(scope, revocation.notBefore);
    const room = 'uid' in scope ? userRoom(scope.uid) : companyRoom(scope.companyID);
    const namespace = this.io.of('/');
    let ended = 0;
    for (const id of [...(namespace.adapter.rooms.get(room) ?? [])]) {
      const socket = namespace.sockets.get(id);
      if (!socket || !isRevoked(socket.data.token?.issuedAtMs, revocation.notBefore)) continue;
      this.end(socket, SessionEndReason.revoked);
      ended += 1;
    }
    this.logger.info({ ...scope, notBefore: revocation.notBefore, ended }, 'tokens revoked: ended the sessions they covered');
  }

  /**
   * Checks every logged-in socket against the revocations in Redis and ends those they cover: after
   * this gateway lost the bus, a `tokens.revoked` published meanwhile never reached it.
   */
  async recheck(): Promise<number> {
    const byIdentity = new Map<string, { identity: BrowserIdentity; sockets: GatewaySocket[] }>();
    for (const socket of this.io.of('/').sockets.values()) {
      const identity = socket.data.identity;
      if (!identity) continue;
      const key = `${identity.companyID}|${identity.uid}`;
      const group = byIdentity.get(key) ?? { identity, sockets: [] };
      group.sockets.push(socket);
      byIdentity.set(key, group);
    }
    const groups = [...byIdentity.values()];
    let ended = 0;
    for (let start = 0; start < groups.length; start += RECHECK_BATCH) {
      const batch = groups.slice(start, start + RECHECK_BATCH);
      const notBefores = await Promise.all(batch.map(({ identity }) => this.guard.notBefore(identity)));
      batch.forEach(({ sockets }, i) => {
        for (const socket of sockets) {
          if (!isRevoked(socket.data.token?.issuedAtMs, notBefores[i])) continue;
          this.end(socket, SessionEndReason.revoked);
          ended += 1;
        }
      });
    }
    return ended;
  }

  /** Clears every expiry timer (the gateway is closing). */
  close(): void {
    for (const timer of this.timers.values()) clearTimeout(timer);
    this.timers.clear();
  }

  private expireAt(socket: GatewaySocket, expiresAtMs: number): void {
    const delay = Math.min(Math.max(0, expiresAtMs - Date.now()), MAX_TIMER_MS);
    const timer = setTimeout(() => {
      if (Date.now() < expiresAtMs) this.expireAt(socket, expiresAtMs);
      else this.end(socket, SessionEndReason.tokenExpired);
    }, delay);
    // The timer alone must not keep a closing process alive.
    timer.unref();
    this.timers.set(socket.id, timer);
  }

  private release(socketId: string): void {
    clearTimeout(this.timers.get(socketId));
    this.timers.delete(socketId);
  }
}
