/** Bucket width: each bucket spans 1% of its lower bound, so percentiles are within 1%. */
const GROWTH = 1.01;
const LOG_GROWTH = Math.log(GROWTH);
/** Values at or below this (ms) share bucket 0 and read back as 0. */
const FLOOR_MS = 0.01;

/** A histogram as sent between processes: sparse `[bucket, count]` pairs plus exact extremes. */
export interface HistogramSnapshot {
  buckets: [number, number][];
  count: number;
  sumMs: number;
  maxMs: number;
}

/** Percentiles of a latency distribution, in ms. */
export interface LatencySummary {
  count: number;
  p50: number;
  p95: number;
  p99: number;
  max: number;
  mean: number;
}

function bucketOf(ms: number): number {
  return ms <= FLOOR_MS ? 0 : 1 + Math.floor(Math.log(ms / FLOOR_MS) / LOG_GROWTH);
}

/** The geometric middle of a bucket (ms). */
function valueOf(bucket: number): number {
  return bucket === 0 ? 0 : FLOOR_MS * GROWTH ** (bucket - 0.5);
}

/**
 * A log-bucketed latency histogram (1% precision from 10 µs to hours, a few KB), cheap to record
 * into on every delivery and to merge across processes.
 */
export class LatencyHistogram {
  private readonly counts = new Map<number, number>();
  count = 0;
  sumMs = 0;
  maxMs = 0;

  record(ms: number): void {
    const value = ms > 0 ? ms : 0;
    const bucket = bucketOf(value);
    this.counts.set(bucket, (this.counts.get(bucket) ?? 0) + 1);
    this.count += 1;
    this.sumMs += value;
    if (value > this.maxMs) this.maxMs = value;
  }

  merge(snapshot: HistogramSnapshot): this {
    for (const [bucket, count] of snapshot.buckets) this.counts.set(bucket, (this.counts.get(bucket) ?? 0) + count);
    this.count += snapshot.count;
    this.sumMs += snapshot.sumMs;
    this.maxMs = Math.max(this.maxMs, snapshot.maxMs);
    return this;
  }

  snapshot(): HistogramSnapshot {
    return { buckets: [...this.counts], count: this.count, sumMs: this.sumMs, maxMs: this.maxMs };
  }

  /** The value below which `fraction` (0–1) of the samples lie; 0 when empty. */
  percentile(fraction: number): number {
    if (this.count === 0) return 0;
    const rank = Math.max(1, Math.ceil(fraction * this.count));
    let seen = 0;
    for (const bucket of [...this.counts.keys()].sort((a, b) => a - b)) {
      seen += this.counts.get(bucket) ?? 0;
      if (seen >= rank) return Math.min(valueOf(bucket), this.maxMs);
    }
    return this.maxMs;
  }

  summary(): LatencySummary {
    return {
      count: this.count,
      p50: round(this.percentile(0.5)),
      p95: round(this.percentile(0.95)),
      p99: round(this.percentile(0.99)),
      max: round(this.maxMs),
      mean: round(this.count === 0 ? 0 : this.sumMs / this.count),
    };
  }

  static from(snapshots: readonly HistogramSnapshot[]): LatencyHistogram {
    const histogram = new LatencyHistogram();
    for (const snapshot of snapshots) histogram.merge(snapshot);
    return histogram;
  }
}

/** Tenths of a millisecond below 10 ms, whole milliseconds above: the buckets are 1% wide. */
function round(ms: number): number {
  return ms >= 10 ? Math.round(ms) : Math.round(ms * 10) / 10;
}
