import type { BusPublisher } from '@notify/bus';
import type { Inbox } from '@notify/inbox';
import type { Logger } from '@notify/observability';
import type { PresenceTracker } from '@notify/presence';
import type { NotificationStore } from '@notify/store';
import type { GatewayMetrics } from './gateway-metrics.js';
import type { GatewaySettings } from './gateway-settings.js';
import type { TokenGuard } from './token-guard.js';
import type { TokenSessions } from './token-sessions.js';

/** What the gateway's handlers need, built once in {@link startGateway}. */
export interface GatewayDeps {
  settings: GatewaySettings;
  logger: Logger;
  store: NotificationStore;
  bus: BusPublisher;
  /** Changes and counts a user's messages, telling every page of the user. */
  inbox: Inbox;
  presence: PresenceTracker;
  /** Checks browser tokens: signature, expiry, and revocations in Redis. */
  tokens: TokenGuard;
}

/** What the socket handlers get: {@link GatewayDeps} plus the metrics and token sessions `createGateway` made. */
export interface HandlerDeps extends GatewayDeps {
  metrics: GatewayMetrics;
  /** Token expiry and revocation of the sockets `createGateway` serves. */
  sessions: TokenSessions;
}
