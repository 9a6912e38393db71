import { busChannel, busEventRoom, type BusEnvelope, type BusEvent } from '@notify/contracts';
import type { Redis } from 'ioredis';

export interface BusOptions {
  /** Key prefix (REDIS_PREFIX); the channel is `<prefix>:events`. */
  prefix: string;
  /** Names the sending process in every envelope, e.g. `worker:4711`. */
  origin: string;
}

/**
 * Publishes typed envelopes `{room?, type, origin, sentAt, payload}` on the bus channel. The room an
 * event goes to ({@link busEventRoom}) comes first, so that a subscriber can skip the envelope
 * without parsing it ({@link BusSubscriber}'s `wants`).
 */
export class BusPublisher {
  private readonly channel: string;

  constructor(
    private readonly redis: Redis,
    private readonly options: BusOptions,
  ) {
    this.channel = busChannel(options.prefix);
  }

  /**
   * Publishes one event, stamped with `sentAt` (now, epoch ms; callers publish right after they
   * stored, so the gateways' lag metric measures store to emit); resolves with how many
   * subscribers (gateways, api processes) received it.
   */
  publish<T extends BusEnvelope['type']>(type: T, payload: BusEvent<T>['payload']): Promise<number> {
    return this.redis.publish(this.channel, this.encode(type, payload));
  }

  /** Publishes several events of one type in one round trip, in order; rejects if any failed. */
  async publishAll<T extends BusEnvelope['type']>(type: T, payloads: readonly BusEvent<T>['payload'][]): Promise<void> {
    const pipeline = this.redis.pipeline();
    for (const payload of payloads) pipeline.publish(this.channel, this.encode(type, payload));
    const results = (await pipeline.exec()) ?? [];
    const failed = results.find(([error]) => error);
    if (failed?.[0]) throw failed[0];
  }

  private encode<T extends BusEnvelope['type']>(type: T, payload: BusEvent<T>['payload']): string {
    return JSON.stringify({ room: busEventRoom(type, payload), type, origin: this.options.origin, sentAt: Date.now(), payload });
  }
}
