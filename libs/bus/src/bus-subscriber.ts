import { EventEmitter } from 'node:events';
import { BusEnvelope, busChannel } from '@notify/contracts';
import type { Redis } from 'ioredis';

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
  /** Key prefix (REDIS_PREFIX); the channel is `<prefix>:events`. */
  prefix: string;
  /**
   * Whether this subscriber has anything to do with events for `room` (a gateway: whether it has a
   * socket there). An envelope whose room it does not want is dropped before it is parsed, as the
   * socket.io Redis adapter checks the room before it decodes; one for a room is read from the
   * envelope's start, `{"room":"…"`. Default: every room.
   */
  wants?: (room: string) => boolean;
}

/** How an envelope names its room: its first member (see `BusPublisher`). */
const ROOM_START = '{"room":"';

/**
 * Listens on the bus channel with a dedicated connection and emits each valid envelope.
 * Malformed messages are reported as `'error'` and dropped, never thrown into the void; so is a
 * malformed one for a room this subscriber has no use for, unread and unreported.
 * After a reconnect it subscribes again and, once Redis has confirmed it, emits `'resumed'`.
 */
export class BusSubscriber extends EventEmitter<BusSubscriberEvents> {
  private readonly channel: string;
  private readonly wants: ((room: string) => boolean) | undefined;
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
    if (this.wants && raw.startsWith(ROOM_START)) {
      const end = raw.indexOf('"', ROOM_START.length);
      const room = raw.slice(ROOM_START.length, end);
      // A room with an escape in it is not read here: the whole envelope is parsed instead.
      if (end > 0 && !room.includes('\\') && !this.wants(room)) return;
    }
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
