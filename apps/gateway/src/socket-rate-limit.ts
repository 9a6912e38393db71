import { ErrorCode } from '@notify/contracts';
import { Counter, type Logger, type Registry } from '@notify/observability';
import { errorAck } from './error-ack.js';
import type { GatewaySocket } from './gateway-types.js';

export interface SocketRateLimitOptions {
  /** Events one socket may send per second on average (`SOCKET_EVENTS_PER_SECOND`). Default 20; 0 turns the limit off. */
  perSecond?: number;
  /** Events one socket may send at once after a quiet spell: the bucket's size (`SOCKET_EVENT_BURST`). Default 50. */
  burst?: number;
  logger: Logger;
  /** Where its counters are registered (the gateway's `/metrics`). */
  registry: Registry;
  /** The clock (ms), for tests. Default `performance.now`. */
  now?: () => number;
}

/** A token bucket: `burst` tokens, refilled at `perSecond`; each event takes one. */
export class TokenBucket {
  private tokens: number;
  private updatedAt: number;

  constructor(
    private readonly perSecond: number,
    private readonly burst: number,
    now: number,
  ) {
    this.tokens = burst;
    this.updatedAt = now;
  }

  /** Takes a token if there is one. */
  take(now: number): boolean {
    this.tokens = Math.min(this.burst, this.tokens + ((now - this.updatedAt) / 1000) * this.perSecond);
    this.updatedAt = now;
    if (this.tokens < 1) return false;
    this.tokens -= 1;
    return true;
  }
}

/**
 * Limits the events each socket may send (any event, logged in or not): `perSecond` on average,
 * `burst` at once. An event over the limit is not handled; if it has an ack, the ack gets
 * `{error: {code: 'rate_limited', …}}`. A socket that goes on sending while over the limit, `burst`
 * more events refused without one let through in between, is disconnected: one flooding socket
 * cannot take the gateway's event loop from everybody else's pages (20,000 `read`s from one socket
 * had pushed another user's live-message p95 to 837 ms).
 */
export class SocketRateLimit {
  private readonly perSecond: number;
  private readonly burst: number;
  private readonly now: () => number;
  private readonly refused: Counter;
  private readonly disconnected: Counter;

  constructor(private readonly options: SocketRateLimitOptions) {
    this.perSecond = options.perSecond ?? 20;
    this.burst = options.burst ?? 50;
    this.now = options.now ?? (() => performance.now());
    this.refused = new Counter({
      name: 'notify_gateway_rate_limited_events_total',
      help: 'Socket events not handled because their socket was over SOCKET_EVENTS_PER_SECOND / SOCKET_EVENT_BURST',
      registers: [options.registry],
    });
    this.disconnected = new Counter({
      name: 'notify_gateway_rate_limit_disconnects_total',
      help: 'Sockets disconnected for going on sending while over their event rate limit',
      registers: [options.registry],
    });
  }

  /** Registers the limit on a new socket (a `socket.use` middleware, which runs before every handler). */
  apply(socket: GatewaySocket): void {
    if (this.perSecond === 0) return;
    const bucket = new TokenBucket(this.perSecond, this.burst, this.now());
    let refusedInARow = 0;
    const message = `too many events from this socket (at most ${this.perSecond} a second, ${this.burst} at once); this one was not handled`;
    socket.use((event, next) => {
      if (bucket.take(this.now())) {
        refusedInARow = 0;
        next();
        return;
      }
      this.refused.inc();
      refusedInARow += 1;
      const ack = event.at(-1);
      if (typeof ack === 'function') (ack as (result: unknown) => void)(errorAck(ErrorCode.rateLimited, message));
      if (refusedInARow > this.burst && socket.connected) {
        this.disconnected.inc();
        const { uid, companyID } = socket.data.identity ?? {};
        this.options.logger.warn({ uid, companyID, socketId: socket.id, refused: refusedInARow }, 'socket disconnected: it kept sending events over its rate limit');
        socket.disconnect(true);
      }
    });
  }
}
