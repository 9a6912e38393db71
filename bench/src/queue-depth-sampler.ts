import { Queue } from 'bullmq';
import type { QueuePartition } from '@notify/contracts';
import { createRedisConnection, type RedisClient, type RedisTarget } from '@notify/redis';

/** The notification queue's backlog during a phase (waiting + active + delayed + prioritized jobs, every partition). */
export interface QueueDepthReport {
  max: number;
  /** When the drivers stopped sending. */
  atSendEnd: number;
  /** After the pages had everything (or the drain gave up). */
  end: number;
  /** True when the backlog kept rising while records were sent: the pipeline did not keep up. */
  growing: boolean;
  /** `[ms since the phase started, depth]`, every 250 ms. */
  samples: [number, number][];
}

/** Reads the pipeline's queue depth with BullMQ's `getJobCounts` (added up over its partitions) while a phase runs. */
export class QueueDepthSampler {
  private readonly redis: RedisClient;
  private readonly queues: Queue[];
  private timer: NodeJS.Timeout | undefined;
  private samples: [number, number][] = [];
  private startedAt = 0;
  private sendEndedAt: number | undefined;

  constructor(redis: RedisTarget, partitions: readonly QueuePartition[]) {
    this.redis = createRedisConnection(redis, { role: 'patient', connectionName: 'bench:queue-depth' });
    this.queues = partitions.map(({ name, prefix }) => new Queue(name, { connection: this.redis, prefix }));
  }

  async depth(): Promise<number> {
    const counts = await Promise.all(this.queues.map((queue) => queue.getJobCounts('waiting', 'active', 'delayed', 'prioritized')));
    return counts.flatMap((count) => Object.values(count)).reduce((sum, n) => sum + n, 0);
  }

  start(intervalMs = 250): void {
    this.samples = [];
    this.startedAt = Date.now();
    this.sendEndedAt = undefined;
    const sample = () => {
      void this.depth().then(
        (depth) => this.samples.push([Date.now() - this.startedAt, depth]),
        () => undefined,
      );
    };
    sample();
    this.timer = setInterval(sample, intervalMs);
  }

  /** The drivers have stopped: growth is judged on the samples up to now. */
  async sendEnded(): Promise<void> {
    this.sendEndedAt = Date.now() - this.startedAt;
    const depth = await this.depth().catch(() => undefined);
    if (depth !== undefined) this.samples.push([this.sendEndedAt, depth]);
  }

  stop(): QueueDepthReport {
    clearInterval(this.timer);
    const sendEnd = this.sendEndedAt ?? Number.POSITIVE_INFINITY;
    const sending = this.samples.filter(([at]) => at <= sendEnd);
    const depths = sending.map(([, depth]) => depth);
    const third = Math.max(1, Math.floor(depths.length / 3));
    const mean = (values: number[]) => values.reduce((sum, n) => sum + n, 0) / Math.max(1, values.length);
    const early = mean(depths.slice(0, third));
    const late = mean(depths.slice(-third));
    return {
      max: Math.max(0, ...this.samples.map(([, depth]) => depth)),
      atSendEnd: depths.at(-1) ?? 0,
      end: this.samples.at(-1)?.[1] ?? 0,
      growing: depths.length >= 6 && late > early * 1.5 + 100,
      samples: this.samples,
    };
  }

  async close(): Promise<void> {
    clearInterval(this.timer);
    await Promise.all(this.queues.map((queue) => queue.close()));
    this.redis.disconnect();
  }
}
