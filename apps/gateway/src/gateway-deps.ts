import type { GatewayConfig } from '@notify/config';
import type { BusPublisher } from '@notify/bus';
import type { Inbox } from '@notify/inbox';
import type { Logger } from '@notify/observability';
import type { PresenceTracker } from '@notify/presence';
import type { NotificationStore } from '@notify/store';
import type { GatewayMetrics } from './gateway-metrics.js';

/** What the gateway's handlers need, built once in `main.ts`. */
export interface GatewayDeps {
  config: GatewayConfig;
  logger: Logger;
  store: NotificationStore;
  bus: BusPublisher;
  /** Changes and counts a user's messages, telling every page of the user. */
  inbox: Inbox;
  presence: PresenceTracker;
}

/** What the socket handlers get: {@link GatewayDeps} plus the metrics `createGateway` registered. */
export interface HandlerDeps extends GatewayDeps {
  metrics: GatewayMetrics;
}
