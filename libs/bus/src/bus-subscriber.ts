import { EventEmitter } from 'node:events';
import { BusEnvelope, busChannel } from '@notify/contracts';
import type { Redis } from 'ioredis';

export interface BusSubscriberEvents {
  envelope: [BusEnvelope];
  /** A malformed message (dropped) or a subscription failure; the subscriber keeps going. */
  error: [Error];
}

/**
 * Listens on the bus channel with a dedicated connection and emits each valid envelope.
 * Malformed messages are reported as `'error'` and dropped, never thrown into the void.
 * ioredis re-subscribes by itself after a reconnect.
 */
export class BusSubscriber extends EventEmitter<BusSubscriberEvents> {
  private readonly channel: string;

  constructor(
    private readonly redis: Redis,
    options: { prefix: string },
  ) {
    super();
    this.channel = busChannel(options.prefix);
    this.redis.on('message', (channel: string, raw: string) => {
      if (channel === this.channel) this.receive(raw);
    });
  }

  /** Subscribes; resolves once Redis has confirmed the subscription. */
  async start(): Promise<void> {
    await this.redis.subscribe(this.channel);
  }

  async stop(): Promise<void> {
    await this.redis.unsubscribe(this.channel).catch(() => undefined);
  }

  private receive(raw: string): void {
    let parsed: unknown;
    try {
      parsed = JSON.parse(raw);
    } catch {
      this.emit('error', new Error(`bus: dropped a message that is not JSON: ${raw.slice(0, 200)}`));
      return;
    }
    const result = BusEnvelope.safeParse(parsed);
    if (!result.success) {
      this.emit('error', new Error(`bus: dropped a malformed envelope: ${result.error.message.slice(0, 500)}`));
      return;
    }
    this.emit('envelope', result.data);
  }
}
