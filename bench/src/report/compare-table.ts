import type { BenchResults } from './bench-results.js';

const n = (value: number) => value.toLocaleString('en');

/** What every Redis process of a phase used, in % of one core: the total, and each node on a cluster. */
function redisCpu(cpuPercent: Record<string, number>): string {
  const nodes = Object.entries(cpuPercent).filter(([name]) => name.startsWith('redis'));
  const total = nodes.reduce((sum, [, pct]) => sum + pct, 0);
  if (nodes.length <= 1) return String(total);
  return `${total} (${nodes.map(([name, pct]) => `${name.replace('redis ', '')} ${pct}`).join(', ')})`;
}

/** The name of a run's Redis, as a column heading. */
const setup = (run: BenchResults) =>
  run.redis === 'cluster' ? `Redis Cluster, ${run.queuePartitions ?? 1} queue partitions` : 'one Redis';

/**
 * Runs of the same scenarios on different Redis set-ups (`--redis single,cluster`), side by side:
 * the pipeline's phases (records and deliveries per second, latency, the CPU of each Redis
 * process), logins, replays and the queue ceiling.
 */
export function formatRedisComparison(runs: readonly BenchResults[]): string {
  const headings = ['', ...runs.map(setup)];
  const rows: string[][] = [];
  const [first] = runs;
  if (!first) return '';
  for (const phase of first.phases.filter((p) => p.system === 'pipeline')) {
    const same = runs.map((run) => run.phases.find((p) => p.system === 'pipeline' && p.label === phase.label));
    rows.push([`${phase.label}: records/s; deliveries/s`, ...same.map((p) => (p ? `${n(p.recordsPerS)}; ${n(p.deliveriesPerS)}` : '-'))]);
    rows.push([`  latency p50 / p99 ms`, ...same.map((p) => (p ? `${p.latencyMs.p50} / ${p.latencyMs.p99}` : '-'))]);
    rows.push([`  cpu % api, worker, gateway`, ...same.map((p) => (p ? `${p.cpuPercent.api ?? '-'}, ${p.cpuPercent.worker ?? '-'}, ${p.cpuPercent.gateway ?? '-'}` : '-'))]);
    rows.push([`  cpu % Redis (each node)`, ...same.map((p) => (p ? redisCpu(p.cpuPercent) : '-'))]);
  }
  if (first.connections) {
    rows.push(['connections: pages/s', ...runs.map((run) => (run.connections ? n(run.connections.pagesPerS) : '-'))]);
  }
  for (const replay of first.replay ?? []) {
    const same = runs.map((run) => run.replay?.find((r) => r.stored === replay.stored));
    rows.push([`replay of unread, ${n(replay.stored)} stored: p50 / p99 ms`, ...same.map((r) => (r ? `${r.latencyMs.p50} / ${r.latencyMs.p99}` : '-'))]);
  }
  if (first.queueCeiling) {
    rows.push(['queue ceiling (one queue): jobs/s; cpu % Redis', ...runs.map((run) => (run.queueCeiling ? `${n(run.queueCeiling.jobsPerS)}; ${run.queueCeiling.cpuPercent.redis}` : '-'))]);
  }
  const widths = headings.map((_, col) => Math.max(...[headings, ...rows].map((row) => (row[col] ?? '').length)));
  const line = (row: string[]) => row.map((cell, col) => cell.padEnd(widths[col] ?? 0)).join('  ').trimEnd();
  return ['side by side', line(headings), widths.map((w) => '-'.repeat(w)).join('  '), ...rows.map(line)].join('\n');
}
