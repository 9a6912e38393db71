import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, inject, it } from 'vitest';
import type { BenchResults } from '../../bench/src/report/bench-results.js';
import { CATCH_UP_SEED } from '../../bench/src/scenarios/replay.js';

const root = fileURLToPath(new URL('../../', import.meta.url));
const entry = join(root, 'bench', 'dist', 'run-bench.js');

// Tiny parameters: every scenario and baseline runs for about a second, so the harness cannot rot
// unnoticed. No timing assertions: this machine's speed is not what the test is about.
const TINY = [
  '--pages', '20', '--company-users', '5',
  '--users', '8', '--companies', '2', '--rate', '50', '--window', '10', '--duration', '1', '--payload', '50',
  '--broadcast-sizes', '4,12',
  '--replay-users', '4', '--replay-unread', '5', '--replay-logins', '4', '--replay-stored', '200,1000',
  '--bulk-size', '20', '--bulk-window', '2', '--fanout-receivers', '10', '--fanout-sends', '2',
  '--agents', '2',
];

/** Runs `node bench/dist/run-bench.js` and resolves with its exit code and output; killed by pid on time-out. */
function runBench(args: string[], timeoutMs: number): Promise<{ code: number | null; output: string }> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [entry, ...args], { cwd: root, stdio: ['ignore', 'pipe', 'pipe'] });
    let output = '';
    child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()));
    // SIGTERM makes the bench stop everything it started; SIGKILL if that hangs.
    const timer = setTimeout(() => {
      child.kill('SIGTERM');
      setTimeout(() => child.kill('SIGKILL'), 5000).unref();
    }, timeoutMs);
    child.once('close', (code) => {
      clearTimeout(timer);
      resolve({ code, output });
    });
  });
}

describe('npm run bench (smoke)', () => {
  it('runs every scenario and baseline with tiny parameters and writes a sane results file', async () => {
    expect(existsSync(entry), `${entry} is missing: build first (npx tsc -b)`).toBe(true);
    const out = await mkdtemp(join(tmpdir(), 'notify-bench-smoke-'));
    try {
      const { code, output } = await runBench([...TINY, '--out', out], 90_000);
      expect(code, output).toBe(0);
      const files = await readdir(out);
      const json = files.find((file) => file.endsWith('.json'));
      expect(json, output).toBeDefined();
      expect(files.some((file) => file.endsWith('.svg'))).toBe(true);
      const results = JSON.parse(await readFile(join(out, json as string), 'utf8')) as BenchResults;

      const systems = ['pipeline', 'direct push', 'socket ceiling'] as const;
      const labels = ['unicast flat out', 'broadcast 4 pages', 'broadcast 12 pages'];
      for (const system of systems) {
        for (const label of labels) {
          const phase = results.phases.find((p) => p.system === system && p.label === label);
          expect(phase, `${label} · ${system}`).toBeDefined();
          expect(phase?.deliveries, `${label} · ${system}`).toBeGreaterThan(0);
          expect(phase?.complete, `${label} · ${system}`).toBe(true);
          expect(phase?.latencyMs.count).toBe(phase?.deliveries);
        }
      }
      // Every pipeline phase says where its latency went, from the worker's and gateway's histograms.
      for (const phase of results.phases.filter((p) => p.system === 'pipeline' && p.label !== 'warm-up')) {
        expect(phase.stagesMs?.stored.count, phase.label).toBe(phase.records);
        // Bulk counts its records to users without a page too: the gateway skips those unread.
        if (phase.label !== 'bulk') expect(phase.stagesMs?.emitted.count, phase.label).toBeGreaterThanOrEqual(phase.records);
      }
      for (const system of ['pipeline', 'direct push'] as const) {
        expect(results.phases.find((p) => p.system === system && p.label === 'unicast 50/s')?.deliveries, system).toBeGreaterThan(0);
        // One message to all 10 fan-out receivers, twice: every page got each.
        expect(results.fanout?.find((f) => f.system === system), system).toMatchObject({ receivers: 10, sends: 2, complete: 2 });
      }
      // Bulk: every record accepted was stored (the phase waits for that), and those to open pages delivered.
      const bulk = results.phases.find((p) => p.system === 'pipeline' && p.label === 'bulk');
      expect(bulk?.complete, output).toBe(true);
      expect(bulk?.records).toBe((bulk?.accepted ?? 0) * 20);
      expect(bulk?.deliveries).toBeGreaterThan(0);
      expect(output).toContain('cpu per record (µs)');
      expect(results.queueCeiling?.completed).toBeGreaterThan(0);
      expect(results.unicastFloor?.msgPerS).toBeGreaterThan(0);
      expect(output).toContain('cost floor of one durable unicast message here');
      expect(results.connections?.connected).toBe(20);
      expect(results.connections?.gatewayRssAfterMiB).toBeGreaterThan(0);
      // The catch-up users' messages come on top of each stored size.
      expect(results.replay?.map((r) => r.stored)).toEqual([200 + CATCH_UP_SEED, 1000 + CATCH_UP_SEED]);
      for (const replay of results.replay ?? []) {
        expect(replay.logins).toBe(4);
        expect(replay.replayedMin).toBe(5);
        expect(replay.latencyMs.p50).toBeGreaterThan(0);
        expect(replay.requestsFailed, replay.firstError).toBe(0);
        expect(replay.listMs.p50).toBeGreaterThan(0);
        expect(replay.catchUpMs.p50).toBeGreaterThan(0);
      }
      expect(output).toContain('catch up 1,000 missed');
      expect(results.contention?.reads, output).toBeGreaterThan(0);
      expect(results.contention?.readsFailed).toBe(0);
      expect(results.contention?.gatewayLoopP99Ms).toBeGreaterThan(0);
      expect(results.contention?.control.messages).toBeGreaterThan(0);
      expect(results.contention?.control.gatewayLoopP99Ms).toBeGreaterThan(0);
      expect(results.ratios['unicast throughput: pipeline / direct push']).toBeGreaterThan(0);
      expect(results.browserScript?.gzippedBytes).toBeGreaterThan(0);
      expect(results.browserScript?.minifiedBytes).toBeGreaterThan(results.browserScript?.gzippedBytes ?? 0);
      expect(output).toContain('browser script /notify-browser.');
      expect(results.targets.map((t) => t.name)).toHaveLength(14);
      expect(results.warnings, output).toEqual([]);
    } finally {
      await rm(out, { recursive: true, force: true });
    }
  });

  it('runs on one Redis and on a Redis Cluster (--redis single,cluster), with the CPU of each node, and prints them side by side', async () => {
    const out = await mkdtemp(join(tmpdir(), 'notify-bench-smoke-'));
    try {
      const { code, output } = await runBench([...TINY, '--scenarios', 'unicast,queue', '--redis', 'single,cluster', '--out', out], 150_000);
      expect(code, output).toBe(0);
      const files = (await readdir(out)).filter((file) => file.endsWith('.json')).sort();
      expect(files.map((file) => file.replace(/^.*-(single|cluster)\.json$/, '$1'))).toEqual(['cluster', 'single']);
      const [cluster, single] = await Promise.all(files.map(async (file) => JSON.parse(await readFile(join(out, file), 'utf8')) as BenchResults));
      expect(single?.redis).toBe('single');
      expect(cluster?.redis).toBe('cluster');
      expect(cluster?.queuePartitions).toBe(3);
      const flat = cluster?.phases.find((p) => p.system === 'pipeline' && p.label === 'unicast flat out');
      expect(flat?.complete, output).toBe(true);
      expect(Object.keys(flat?.cpuPercent ?? {}).filter((name) => name.startsWith('redis ')).sort()).toEqual(['redis m1', 'redis m2', 'redis m3', 'redis r1', 'redis r2', 'redis r3']);
      expect(cluster?.queueCeiling?.completed).toBeGreaterThan(0);
      expect(output).toContain('a Redis Cluster (3 masters, 3 replicas), 3 queue partitions');
      // The side-by-side table after both runs: one column per set-up, the flat-out phase in both.
      const sideBySide = output.slice(output.lastIndexOf('side by side'));
      expect(sideBySide).toMatch(/one Redis\s+Redis Cluster, 3 queue partitions/);
      expect(sideBySide).toMatch(/unicast flat out: records\/s; deliveries\/s\s+[\d,]+; [\d,]+\s+[\d,]+; [\d,]+/);
      for (const run of [single, cluster]) expect(run?.warnings, output).toEqual([]);
    } finally {
      await rm(out, { recursive: true, force: true });
    }
  });

  // Without MONGO_URL the bench starts a FerretDB of its own, as the test run did: it runs where the run could.
  const ferretDbOfItsOwn = inject('mongoServer').startedByTheRun === true;
  it.skipIf(!ferretDbOfItsOwn)(`runs on STORE=mongo (--store mongo) against a FerretDB it starts, counted in the CPU readings${ferretDbOfItsOwn ? '' : ' (skipped: the test run did not start a FerretDB of its own)'}`, async () => {
    const out = await mkdtemp(join(tmpdir(), 'notify-bench-smoke-'));
    try {
      // FerretDB reads every stored message for each count and list (README, On FerretDB): smaller
      // still, and no replay, whose catch-up seed of 4,080 messages alone outlasts MONGO_TIMEOUT_MS.
      const onFerretDb = ['--rate', '10', '--window', '4'];
      const { code, output } = await runBench([...TINY, ...onFerretDb, '--scenarios', 'unicast', '--store', 'mongo', '--out', out], 120_000);
      expect(code, output).toBe(0);
      const json = (await readdir(out)).find((file) => file.endsWith('.json'));
      const results = JSON.parse(await readFile(join(out, json as string), 'utf8')) as BenchResults;
      expect(results.storeServer, output).toMatch(/^FerretDB .*, started by the bench \(SQLite backend\)$/);
      const flat = results.phases.find((p) => p.system === 'pipeline' && p.label === 'unicast flat out');
      expect(flat?.complete, output).toBe(true);
      expect(flat?.cpuPercent).toHaveProperty('ferretdb');
      expect(results.warnings, output).toEqual([]);
    } finally {
      await rm(out, { recursive: true, force: true });
    }
  });
});
