import { mkdir, readdir, writeFile } from 'node:fs/promises';
import { join, relative, resolve } from 'node:path';
import { repoRoot } from '@notify/launcher';
import { BenchUsageError, parseBenchOptions, USAGE } from './bench-options.js';
import { summariseCpuProfile } from './profile/cpu-profile-summary.js';
import type { BenchResults } from './report/bench-results.js';
import { renderChart } from './report/chart-svg.js';
import { formatRedisComparison } from './report/compare-table.js';
import { formatResults } from './report/print-table.js';
import { runBench } from './run-scenarios.js';

// `npm run bench -- [options]`: see USAGE. Prints progress on stderr and the tables on stdout;
// writes <out>/<timestamp>.json and .svg (and with --profile, <timestamp>-profiles/).
async function main(): Promise<number> {
  let options;
  try {
    options = parseBenchOptions(process.argv.slice(2));
  } catch (error) {
    if (!(error instanceof BenchUsageError)) throw error;
    process.stderr.write(`bench: ${error.message}\n\n${USAGE}\n`);
    return 2;
  }
  if (!options) {
    process.stdout.write(`${USAGE}\n`);
    return 0;
  }
  const outDir = resolve(repoRoot, options.outDir);
  const stamp = new Date().toISOString().replace(/[:.]/g, '-');
  const profileDir = options.profile ? join(outDir, `${stamp}-profiles`) : undefined;
  const started = Date.now();
  const log = (line: string) => process.stderr.write(`[bench +${((Date.now() - started) / 1000).toFixed(1)}s] ${line}\n`);

  // One run per Redis set-up, one after the other (never at once: they would share the cores).
  const runs: BenchResults[] = [];
  for (const redis of options.redis) {
    // Each run's files carry its set-up when there are several.
    const name = options.redis.length > 1 ? `${stamp}-${redis}` : stamp;
    const runProfiles = profileDir && options.redis.length > 1 ? join(profileDir, redis) : profileDir;
    const results: BenchResults = await runBench(options, redis, log, runProfiles);
    if (runProfiles) results.profiles = await summariseProfiles(runProfiles, results.profiledPhases ?? []);

    await mkdir(outDir, { recursive: true });
    const jsonPath = join(outDir, `${name}.json`);
    const svgPath = join(outDir, `${name}.svg`);
    await writeFile(jsonPath, `${JSON.stringify(results, null, 2)}\n`);
    await writeFile(svgPath, renderChart(results));
    process.stdout.write(`${formatResults(results)}\n\nresults: ${relative(process.cwd(), jsonPath)}\nchart:   ${relative(process.cwd(), svgPath)}\n\n`);
    runs.push(results);
  }
  if (runs.length > 1) process.stdout.write(`${formatRedisComparison(runs)}\n`);
  return 0;
}

/** Each app's profiles (one app folder under `dir`, its n-th profile of `phases[n - 1]`), summarised. */
async function summariseProfiles(dir: string, phases: readonly string[]): Promise<BenchResults['profiles']> {
  const profiles: NonNullable<BenchResults['profiles']> = {};
  for (const app of await readdir(dir).catch(() => [] as string[])) {
    const files = (await readdir(join(dir, app))).filter((file) => file.endsWith('.cpuprofile'));
    for (const file of files) {
      const n = Number(/-(\d+)\.cpuprofile$/.exec(file)?.[1]);
      profiles[`${app} · ${phases[n - 1] ?? file}`] = summariseCpuProfile(join(dir, app, file));
    }
  }
  return profiles;
}

// Interrupted: exit at once, which SIGKILLs every child process still running (see killOnExit).
for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  process.once(signal, () => {
    process.stderr.write(`bench: ${signal}, stopping everything it started\n`);
    process.exit(130);
  });
}

main().then(
  (code) => process.exit(code),
  (error: unknown) => {
    process.stderr.write(`bench: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
    process.exit(1);
  },
);
