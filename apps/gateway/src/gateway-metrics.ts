import { ServerEvent, SessionEndReason, type BusEnvelope } from '@notify/contracts';
import { Counter, Gauge, Histogram, type Registry } from '@notify/observability';
import type { GatewayServer } from './gateway-types.js';

/** A server → client event name (`new_msg`, `unread_count`, …). */
export type ServerEventName = (typeof ServerEvent)[keyof typeof ServerEvent];

/** How a `refresh_token` ended: accepted, or the reason it was refused. */
export const RefreshResult = {
  ok: 'ok',
  invalidInput: 'invalid_input',
  /** A bad or expired token, or a socket that has not logged in. */
  unauthorized: 'unauthorized',
  /** A valid token minted before a revocation of its user or company. */
  revoked: 'revoked',
  identityMismatch: 'identity_mismatch',
  /** Redis did not answer the revocation lookup in time. */
  unavailable: 'unavailable',
} as const;
export type RefreshResult = (typeof RefreshResult)[keyof typeof RefreshResult];

/** Seconds. A healthy bus delivers within milliseconds; the upper buckets show a backed-up one. */
const LAG_BUCKETS = [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10];

/**
 * The gateway's Prometheus metrics, on the process registry that `/metrics` serves. Socket gauges
 * are computed from socket.io's own bookkeeping at scrape time, so they can never drift.
 */
export class GatewayMetrics {
  private readonly eventsEmitted: Counter<'event'>;
  private readonly replayedTotal: Counter;
  private readonly busLag: Histogram<'type'>;
  private readonly busSkipped: Counter;
  private readonly tokenRefreshes: Counter<'result'>;
  private readonly sessionsEnded: Counter<'reason'>;

  constructor(registry: Registry, io: GatewayServer) {
    new Gauge({
      name: 'notify_gateway_connected_sockets',
      help: 'Sockets connected to this gateway, logged in or not',
      registers: [registry],
      collect() {
        this.set(io.of('/').sockets.size);
      },
    });
    const onlineUsers = new Gauge({
      name: 'notify_gateway_online_users',
      help: 'Distinct users with at least one page on this gateway (the company-wide count is in Redis)',
      registers: [],
    });
    // One walk over the sockets per scrape sets both gauges. The online-users gauge has no collect
    // of its own and is registered after this one, so a scrape reads it once this has set it.
    new Gauge({
      name: 'notify_gateway_logged_in_sockets',
      help: 'Sockets on this gateway that have proven who they are (handshake token or login)',
      registers: [registry],
      collect() {
        let loggedIn = 0;
        const users = new Set<string>();
        for (const { data } of io.of('/').sockets.values()) {
          if (!data.identity) continue;
          loggedIn += 1;
          users.add(`${data.identity.companyID}|${data.identity.uid}`);
        }
        this.set(loggedIn);
        onlineUsers.set(users.size);
      },
    });
    registry.registerMetric(onlineUsers);
    this.eventsEmitted = new Counter({
      name: 'notify_gateway_events_emitted_total',
      help: 'Socket events emitted, by event name; an emit to a room counts once, however many pages are in it',
      labelNames: ['event'],
      registers: [registry],
    });
    this.replayedTotal = new Counter({
      name: 'notify_gateway_replayed_messages_total',
      help: 'Unread messages replayed: to a page at login, or to a user\'s pages after this gateway lost the bus',
      registers: [registry],
    });
    this.busLag = new Histogram({
      name: 'notify_gateway_bus_lag_seconds',
      help:
        'From publication on the bus (right after the store write) to its handling on this gateway, by bus event type; ' +
        'a presence change handled within PRESENCE_COALESCE_MS of the last broadcast is emitted later, merged',
      labelNames: ['type'],
      buckets: LAG_BUCKETS,
      registers: [registry],
    });
    this.busSkipped = new Counter({
      name: 'notify_gateway_bus_events_skipped_total',
      help: 'Bus events for a room in which this gateway had no socket (nor in its older-page twin): dropped before they were parsed',
      registers: [registry],
    });
    this.tokenRefreshes = new Counter({
      name: 'notify_gateway_token_refreshes_total',
      help: 'refresh_token requests, by result: ok, or why it was refused',
      labelNames: ['result'],
      registers: [registry],
    });
    this.sessionsEnded = new Counter({
      name: 'notify_gateway_sessions_ended_total',
      help: 'Sockets the gateway disconnected after session_ended, by reason (token_expired, revoked, identity_mismatch)',
      labelNames: ['reason'],
      registers: [registry],
    });
    // Every label value from the start, so a rate over them never starts from a missing series.
    for (const result of Object.values(RefreshResult)) this.tokenRefreshes.inc({ result }, 0);
    for (const reason of Object.values(SessionEndReason)) this.sessionsEnded.inc({ reason }, 0);
  }

  /** A bus event for a room without a socket here, dropped unread. */
  skippedBusEvent(): void {
    this.busSkipped.inc();
  }

  /** One `refresh_token` answered with `result`. */
  refreshed(result: RefreshResult): void {
    this.tokenRefreshes.inc({ result });
  }

  /** One session ended (`session_ended` sent, socket disconnected) for `reason`. */
  sessionEnded(reason: SessionEndReason): void {
    this.sessionsEnded.inc({ reason });
  }

  /** One emit call of `event`, to one socket or to a room. */
  emitted(event: ServerEventName): void {
    this.eventsEmitted.inc({ event });
  }

  /** `count` unread messages replayed (to one page at login, or to a user's room), each one `new_msg` emit. */
  replayed(count: number): void {
    if (count <= 0) return;
    this.eventsEmitted.inc({ event: ServerEvent.newMessage }, count);
    this.replayedTotal.inc(count);
  }

  /** The lag of a bus event just handled (emitted, or merged for later); envelopes without `sentAt` are not counted. */
  emittedBusEvent(envelope: BusEnvelope, now = Date.now()): void {
    if (envelope.sentAt === undefined) return;
    // Publisher and gateway may be different machines: a clock behind ours must not yield a negative lag.
    this.busLag.observe({ type: envelope.type }, Math.max(0, now - envelope.sentAt) / 1000);
  }
}
