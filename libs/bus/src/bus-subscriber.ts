import { EventEmitter } from 'node:events';
import { busChannel, type BusEnvelope } from '@notify/contracts';
import type { Redis } from '@notify/redis';
import { decodeEnvelope, type WantsRoom } from './decode-envelope.js';

export interface BusSubscriberEvents {
  envelope: [BusEnvelope];
  /**
   * Subscribed again after the connection was lost. Pub/sub keeps nothing for an absent
   * subscriber: whatever was published meanwhile was missed here.
   */
  resumed: [];
  /** A malformed message (dropped) or a subscription failure; the subscriber keeps going. */
  error: [Error];
}

export interface BusSubscriberOptions {
  /** Key prefix (REDIS_PREFIX); the channel is `<prefix>:events` (on a Redis Cluster, `<prefix>:events:{n}`). */
  prefix: string;
  /**
   * Whether this subscriber has anything to do with events for a room: an envelope for a room it
   * does not want is dropped before it is parsed ({@link decodeEnvelope}). Default: every room.
   */
  wants?: WantsRoom;
}

/** What the gateway listens to: {@link BusSubscriber} on one server, {@link ShardedBusSubscriber} on a Redis Cluster. */
export interface BusSubscription extends EventEmitter<BusSubscriberEvents> {
  /** Subscribes; resolves once Redis has confirmed every subscription. */
  start(): Promise<void>;
  stop(): Promise<void>;
}

/**
 * Listens on the bus channel of one Redis server with a dedicated connection and emits each valid
 * envelope for a room it wants. Malformed messages are reported as `'error'` and dropped, never
 * thrown into the void.
 * After a reconnect it subscribes again and, once Redis has confirmed it, emits `'resumed'`.
 */
export class BusSubscriber extends EventEmitter<BusSubscriberEvents> implements BusSubscription {
  private readonly channel: string;
  private readonly wants: WantsRoom | undefined;
  private subscribed = false;
  private lost = false;

  constructor(
    private readonly redis: Redis,
    options: BusSubscriberOptions,
  ) {
    super();
    this.channel = busChannel(options.prefix);
    this.wants = options.wants;
    this.redis.on('message', (channel: string, raw: string) => {
      if (channel === this.channel) this.receive(raw);
    });
    this.redis.on('close', () => {
      if (this.subscribed) this.lost = true;
    });
    this.redis.on('ready', () => {
      if (!this.lost || !this.subscribed) return;
      this.lost = false;
      // ioredis re-subscribes on its own too; this one's reply says when the subscription is live.
      this.redis.subscribe(this.channel).then(
        () => this.emit('resumed'),
        (error: unknown) => this.emit('error', new Error(`bus: could not subscribe again after a reconnect: ${String(error)}`)),
      );
    });
  }

  /** Subscribes; resolves once Redis has confirmed the subscription. */
  async start(): Promise<void> {
    await this.redis.subscribe(this.channel);
    this.subscribed = true;
  }

  async stop(): Promise<void> {
    this.subscribed = false;
    await this.redis.unsubscribe(this.channel).catch(() => undefined);
  }

  private receive(raw: string): void {
    const decoded = decodeEnvelope(raw, this.wants);
    if (decoded instanceof Error) this.emit('error', decoded);
    else if (decoded) this.emit('envelope', decoded);
  }
}
