/**
 * Where a pipeline phase's latency goes, read from the apps' own Prometheus histograms: the
 * worker's `notify_worker_store_lag_seconds` (acceptance → stored) and the gateway's
 * `notify_gateway_bus_lag_seconds` (published → emitted). Each phase takes a snapshot before and
 * after and reports percentiles of the difference, interpolated within buckets as Prometheus'
 * `histogram_quantile` does, so they are estimates no finer than the apps' bucket bounds.
 */

/** Cumulative bucket counts of one histogram, summed over its label sets, by upper bound (s). */
type Buckets = Map<number, number>;

/** Estimated percentiles of one stage during a phase, in ms. */
export interface StageLag {
  count: number;
  p50: number;
  p99: number;
}

/** The stages of a pipeline phase: acceptance → stored, and published → emitted by the gateway. */
export interface StageLags {
  stored: StageLag;
  emitted: StageLag;
}

interface Snapshot {
  stored: Buckets;
  emitted: Buckets;
}

const STORED = 'notify_worker_store_lag_seconds';
const EMITTED = 'notify_gateway_bus_lag_seconds';

/** Reads the worker's and gateway's lag histograms at the start and end of a phase. */
export class StageLagProbe {
  constructor(
    private readonly workerUrl: string,
    private readonly gatewayUrl: string,
  ) {}

  async snapshot(): Promise<Snapshot> {
    const [stored, emitted] = await Promise.all([scrape(this.workerUrl, STORED), scrape(this.gatewayUrl, EMITTED)]);
    return { stored, emitted };
  }

  /** How many records the worker has stored so far (its store-lag histogram's count). */
  async storedCount(): Promise<number> {
    return (await scrape(this.workerUrl, STORED)).get(Infinity) ?? 0;
  }

  /** The stages between two snapshots. */
  static between(before: Snapshot, after: Snapshot): StageLags {
    return { stored: lagOf(difference(before.stored, after.stored)), emitted: lagOf(difference(before.emitted, after.emitted)) };
  }
}

async function scrape(baseUrl: string, histogram: string): Promise<Buckets> {
  const response = await fetch(`${baseUrl}/metrics`, { signal: AbortSignal.timeout(5000) });
  if (!response.ok) throw new Error(`${baseUrl}/metrics answered ${response.status}`);
  return parseBuckets(await response.text(), histogram);
}

/** The `le` buckets of `histogram` in a Prometheus text exposition, summed over label sets. */
function parseBuckets(text: string, histogram: string): Buckets {
  const buckets: Buckets = new Map();
  const prefix = `${histogram}_bucket{`;
  for (const line of text.split('\n')) {
    if (!line.startsWith(prefix)) continue;
    const le = /[{,]le="([^"]+)"/.exec(line)?.[1];
    const value = /\s(\S+)$/.exec(line)?.[1];
    if (le === undefined || value === undefined) continue;
    const bound = le === '+Inf' ? Infinity : Number(le);
    buckets.set(bound, (buckets.get(bound) ?? 0) + Number(value));
  }
  return buckets;
}

function difference(before: Buckets, after: Buckets): Buckets {
  return new Map([...after].map(([bound, count]) => [bound, count - (before.get(bound) ?? 0)]));
}

function lagOf(buckets: Buckets): StageLag {
  const count = buckets.get(Infinity) ?? 0;
  return { count, p50: quantileMs(buckets, 0.5), p99: quantileMs(buckets, 0.99) };
}

/** `histogram_quantile`: linear within the bucket the rank falls in; the last finite bound if beyond it. */
function quantileMs(buckets: Buckets, q: number): number {
  const bounds = [...buckets.keys()].sort((a, b) => a - b);
  const total = buckets.get(Infinity) ?? 0;
  if (total === 0) return 0;
  const rank = q * total;
  let lowerBound = 0;
  let lowerCount = 0;
  for (const bound of bounds) {
    const count = buckets.get(bound) ?? 0;
    if (count >= rank) {
      if (bound === Infinity) return Math.round(lowerBound * 1000);
      const within = count > lowerCount ? (rank - lowerCount) / (count - lowerCount) : 1;
      return Math.round((lowerBound + (bound - lowerBound) * within) * 10_000) / 10;
    }
    lowerBound = bound;
    lowerCount = count;
  }
  return Math.round(lowerBound * 1000);
}
