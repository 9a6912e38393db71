import { describe, expect, it } from 'vitest';
import { Server } from 'socket.io';
import { BusType, ServerEvent, type BusEnvelope } from '@notify/contracts';
import { Registry } from '@notify/observability';
import { GatewayMetrics } from './gateway-metrics.js';
import type { GatewayServer } from './gateway-types.js';

const presence = (sentAt?: number): BusEnvelope => ({
  type: BusType.presenceChanged,
  origin: 'test',
  ...(sentAt === undefined ? {} : { sentAt }),
  payload: { companyID: '7', count: 1 },
});

describe('GatewayMetrics', () => {
  const setup = () => {
    const registry = new Registry();
    const io: GatewayServer = new Server();
    return { registry, metrics: new GatewayMetrics(registry, io) };
  };

  it('counts emits by event name and replayed messages', async () => {
    const { registry, metrics } = setup();
    metrics.emitted(ServerEvent.newMessage);
    metrics.emitted(ServerEvent.newMessage);
    metrics.emitted(ServerEvent.unreadCount);
    let text = await registry.metrics();
    expect(text).toContain('notify_gateway_events_emitted_total{event="new_msg"} 2');
    expect(text).toContain('notify_gateway_events_emitted_total{event="unread_count"} 1');
    expect(text).toContain('notify_gateway_connected_sockets 0');
    expect(text).toContain('notify_gateway_logged_in_sockets 0');
    expect(text).toContain('notify_gateway_online_users 0');
    // A replay of n messages is n `new_msg` emits, counted in one go.
    metrics.replayed(3);
    metrics.replayed(0);
    text = await registry.metrics();
    expect(text).toContain('notify_gateway_replayed_messages_total 3');
    expect(text).toContain('notify_gateway_events_emitted_total{event="new_msg"} 5');
  });

  it('observes the lag of envelopes with sentAt, never negative, and skips those without', async () => {
    const { registry, metrics } = setup();
    metrics.emittedBusEvent(presence(1_000), 1_250);
    metrics.emittedBusEvent(presence(2_000), 1_000); // the publisher's clock runs ahead of ours
    metrics.emittedBusEvent(presence());
    const text = await registry.metrics();
    expect(text).toContain('notify_gateway_bus_lag_seconds_count{type="presence.changed"} 2');
    expect(text).toContain('notify_gateway_bus_lag_seconds_sum{type="presence.changed"} 0.25');
  });
});
