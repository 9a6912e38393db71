import { busChannel, busShardChannel, busShardOf, type BusEnvelope, type BusEvent } from '@notify/contracts';
import { isCluster, type RedisClient } from '@notify/redis';
import { busEventRoom, busRoutingKey } from './bus-routing-key.js';

export interface BusOptions {
  /** Key prefix (REDIS_PREFIX); the channel is `<prefix>:events` (on a Redis Cluster, `<prefix>:events:{n}`). */
  prefix: string;
  /** Names the sending process in every envelope, e.g. `worker:4711`. */
  origin: string;
}

/**
 * Publishes typed envelopes `{room?, type, origin, sentAt, payload}` on the bus: with PUBLISH on the
 * one channel on a single Redis server; on a Redis Cluster with SPUBLISH on the sharded channel of
 * the event's user or company (`<prefix>:events:{n}`), which only that shard's master and replicas
 * carry, instead of PUBLISH, which the cluster would broadcast to every node. One user's (or
 * company's) events share a channel, so they arrive in the order they were published. The room an
 * event goes to ({@link busEventRoom}) comes first, so that a subscriber can skip the envelope
 * without parsing it (the subscribers' `wants`).
 */
export class BusPublisher {
  private readonly channel: string;
  private readonly sharded: boolean;

  constructor(
    private readonly redis: RedisClient,
    private readonly options: BusOptions,
  ) {
    this.channel = busChannel(options.prefix);
    this.sharded = isCluster(redis);
  }

  /**
   * Publishes one event, stamped with `sentAt` (now, epoch ms; callers publish right after they
   * stored, so the gateways' lag metric measures store to emit); resolves with how many
   * subscribers (gateways, api processes) received it.
   */
  async publish<T extends BusEnvelope['type']>(type: T, payload: BusEvent<T>['payload']): Promise<number> {
    const message = this.encode(type, payload);
    if (!this.sharded) return this.redis.publish(this.channel, message);
    // ioredis types SPUBLISH's reply as unknown; Redis answers the number of receivers, like PUBLISH.
    return Number(await this.redis.spublish(this.channelOf(type, payload), message));
  }

  /**
   * Publishes several events of one type in one round trip, in order; rejects if any failed. On a
   * Redis Cluster, one round trip per sharded channel (a cluster pipeline must stay in one slot),
   * all at once, each in order.
   */
  async publishAll<T extends BusEnvelope['type']>(type: T, payloads: readonly BusEvent<T>['payload'][]): Promise<void> {
    const byChannel = new Map<string, string[]>();
    for (const payload of payloads) {
      const channel = this.sharded ? this.channelOf(type, payload) : this.channel;
      const messages = byChannel.get(channel) ?? [];
      if (messages.length === 0) byChannel.set(channel, messages);
      messages.push(this.encode(type, payload));
    }
    await Promise.all(
      [...byChannel].map(async ([channel, messages]) => {
        const pipeline = this.redis.pipeline();
        for (const message of messages) {
          if (this.sharded) pipeline.spublish(channel, message);
          else pipeline.publish(channel, message);
        }
        const results = (await pipeline.exec()) ?? [];
        const failed = results.find(([error]) => error);
        if (failed?.[0]) throw failed[0];
      }),
    );
  }

  private channelOf<T extends BusEnvelope['type']>(type: T, payload: BusEvent<T>['payload']): string {
    return busShardChannel(this.options.prefix, busShardOf(busRoutingKey({ type, payload } as BusEnvelope)));
  }

  private encode<T extends BusEnvelope['type']>(type: T, payload: BusEvent<T>['payload']): string {
    return JSON.stringify({ room: busEventRoom({ type, payload } as BusEnvelope), type, origin: this.options.origin, sentAt: Date.now(), payload });
  }
}
