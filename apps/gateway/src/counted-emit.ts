import type { ServerToClientEvents } from '@notify/contracts';
import type { GatewayMetrics, ServerEventName } from './gateway-metrics.js';

/** Where a server event can be emitted: one socket, or a room (`io.to(room)`). */
export interface EmitTarget {
  emit<E extends ServerEventName>(event: E, ...args: Parameters<ServerToClientEvents[E]>): boolean;
}

/** Emits `event` on `target` and counts the emit call (once, even for a room of many pages). */
export function countedEmit<E extends ServerEventName>(
  metrics: GatewayMetrics,
  target: EmitTarget,
  event: E,
  ...args: Parameters<ServerToClientEvents[E]>
): void {
  target.emit(event, ...args);
  metrics.emitted(event);
}
