import { randomUUID } from 'node:crypto';
import { EventEmitter } from 'node:events';
import { busShardChannels } from '@notify/contracts';
import type { Cluster } from '@notify/redis';
import type { BusSubscriberEvents, BusSubscriberOptions, BusSubscription } from './bus-subscriber.js';
import { decodeEnvelope, type WantsRoom } from './decode-envelope.js';

/** Options of a {@link ShardedBusSubscriber}. */
export interface ShardedBusSubscriberOptions extends BusSubscriberOptions {
  /** How long a probe waits for its echo on every channel (ms). Default 1000. */
  probeTimeoutMs?: number;
  /** Pause between probes while a subscription is lost (ms). Default 250. */
  probeIntervalMs?: number;
}

/** Bus messages that start with this are a subscriber's probes, not envelopes. */
const PROBE_MARK = 'probe:';

/**
 * Listens on every sharded bus channel of a Redis Cluster (`SSUBSCRIBE`) through ioredis's sharded
 * subscribers (one connection per master, `shardedSubscribers: true` on `redis`) and emits each
 * valid envelope.
 *
 * When a shard's subscriber goes (its master died or failed over, the connection dropped), messages
 * published on that shard meanwhile are missed. ioredis subscribes again by itself once the slots
 * have a master, but tells nobody when: during an outage it re-creates the subscriber and says
 * `subscribersReady` many times a second, also while the node is still down. So this subscriber
 * probes instead: it publishes a probe on every channel and emits `'resumed'` once all of them came
 * back, which proves that every shard delivers again. One probe runs at a time and is repeated
 * until one succeeds, so an outage gives one `'resumed'` however many events ioredis fires.
 */
export class ShardedBusSubscriber extends EventEmitter<BusSubscriberEvents> implements BusSubscription {
  private readonly channels: ReadonlySet<string>;
  private readonly probeId = randomUUID();
  private readonly probeTimeoutMs: number;
  private readonly probeIntervalMs: number;
  private readonly wants: WantsRoom | undefined;
  private subscribed = false;
  /** Bumped on every loss; a probe only ends an outage if none began while it ran. */
  private losses = 0;
  private lost = false;
  private probing: Promise<void> | undefined;
  /** The probe waiting for its echoes: the channels still to answer. */
  private awaiting: { marker: string; pending: Set<string>; done: () => void } | undefined;

  constructor(
    private readonly redis: Cluster,
    options: ShardedBusSubscriberOptions,
  ) {
    super();
    this.channels = new Set(busShardChannels(options.prefix));
    this.probeTimeoutMs = options.probeTimeoutMs ?? 1000;
    this.probeIntervalMs = options.probeIntervalMs ?? 250;
    this.wants = options.wants;
    this.redis.on('smessage', (channel: string, raw: string) => {
      if (this.channels.has(channel)) this.receive(channel, raw);
    });
    // A shard's subscriber went (its node ended or the slots moved), or the whole cluster connection did.
    this.redis.on('-subscriber', () => this.lose());
    this.redis.on('close', () => this.lose());
  }

  /** Subscribes to every channel; resolves once each shard's master has confirmed. */
  async start(): Promise<void> {
    // One SSUBSCRIBE per channel: ioredis sends a call's channels to one shard, so they must share a slot.
    await Promise.all([...this.channels].map((channel) => this.redis.ssubscribe(channel)));
    this.subscribed = true;
  }

  /** Unsubscribes from every channel. A probe still under way ends by itself, unawaited (its publishes may wait out an outage). */
  async stop(): Promise<void> {
    this.subscribed = false;
    this.awaiting?.done();
    await Promise.all([...this.channels].map((channel) => this.redis.sunsubscribe(channel).catch(() => undefined)));
  }

  private lose(): void {
    if (!this.subscribed) return;
    this.losses += 1;
    this.lost = true;
    this.probing ??= this.probeUntilBack().finally(() => (this.probing = undefined));
  }

  private async probeUntilBack(): Promise<void> {
    while (this.subscribed && this.lost) {
      await pause(this.probeIntervalMs);
      if (!this.subscribed) return;
      const losses = this.losses;
      if ((await this.probe()) && losses === this.losses) {
        this.lost = false;
        this.emit('resumed');
      }
    }
  }

  /** Publishes a probe on every channel; true when each came back within the probe timeout. */
  private async probe(): Promise<boolean> {
    const marker = `${PROBE_MARK}${this.probeId}:${randomUUID()}`;
    const pending = new Set(this.channels);
    let timer: NodeJS.Timeout | undefined;
    const echoed = new Promise<void>((resolve) => {
      this.awaiting = { marker, pending, done: resolve };
      timer = setTimeout(resolve, this.probeTimeoutMs);
    });
    // The cluster connection retries a failing-over slot for a while: wait for every publish to
    // settle before the next probe, so probes never pile up during an outage.
    const published = Promise.allSettled([...this.channels].map((channel) => this.redis.spublish(channel, marker)));
    await echoed;
    clearTimeout(timer);
    this.awaiting = undefined;
    await published;
    return pending.size === 0;
  }

  private receive(channel: string, raw: string): void {
    if (raw.startsWith(PROBE_MARK)) {
      // Other gateways' probes arrive here too; only this one's own are awaited.
      const awaiting = this.awaiting;
      if (awaiting && raw === awaiting.marker) {
        awaiting.pending.delete(channel);
        if (awaiting.pending.size === 0) awaiting.done();
      }
      return;
    }
    const decoded = decodeEnvelope(raw, this.wants);
    if (decoded instanceof Error) this.emit('error', decoded);
    else if (decoded) this.emit('envelope', decoded);
  }
}

const pause = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
