import { readFileSync } from 'node:fs';

/** The parts of a V8 `.cpuprofile` this reads. */
interface CpuProfile {
  nodes: { id: number; callFrame: { functionName: string; url: string; lineNumber: number }; children?: number[] }[];
  samples: number[];
  timeDeltas: number[];
}

/** One function's share of a profile. */
export interface ProfileEntry {
  /** `name (file:line)`, the file shortened to `package/…` or the repository path. */
  fn: string;
  selfMs: number;
  /** Of the busy time (all samples but idle). */
  selfPercent: number;
}

/** Where a process spent its CPU, by function and by package. */
export interface ProfileSummary {
  file: string;
  wallMs: number;
  /** Sampled time not idle (garbage collection included). */
  busyMs: number;
  gcMs: number;
  topFunctions: ProfileEntry[];
  /** Self time by npm package (`app` = this repository's code, `node` = node internals). */
  byPackage: { pkg: string; selfMs: number; selfPercent: number }[];
}

function shortUrl(url: string): string {
  const nodeModules = url.lastIndexOf('node_modules/');
  if (nodeModules >= 0) return url.slice(nodeModules + 'node_modules/'.length);
  const repo = /\/(apps|libs|bench)\/.*$/.exec(url);
  if (repo) return repo[0].slice(1);
  return url.replace(/^file:\/\//, '');
}

function packageOf(url: string): string {
  if (url === '') return 'native';
  if (url.startsWith('node:')) return 'node';
  const match = /node_modules\/((?:@[^/]+\/)?[^/]+)/.exec(url);
  if (match) return match[1] as string;
  if (/\/(apps|libs)\//.test(url)) return 'app';
  return 'other';
}

/** Self time per function of a `.cpuprofile`, top `limit` first. */
export function summariseCpuProfile(file: string, limit = 15): ProfileSummary {
  const profile = JSON.parse(readFileSync(file, 'utf8')) as CpuProfile;
  const selfUs = new Map<number, number>();
  let totalUs = 0;
  // The first delta is the profiler's own start-up (attributed to inspector `dispatch`): skipped.
  profile.samples.forEach((node, index) => {
    const us = index === 0 ? 0 : (profile.timeDeltas[index] ?? 0);
    selfUs.set(node, (selfUs.get(node) ?? 0) + us);
    totalUs += us;
  });
  const byFunction = new Map<string, number>();
  const byPackage = new Map<string, number>();
  let idleUs = 0;
  let gcUs = 0;
  for (const node of profile.nodes) {
    const us = selfUs.get(node.id) ?? 0;
    if (us === 0) continue;
    const { functionName, url, lineNumber } = node.callFrame;
    if (functionName === '(idle)') idleUs += us;
    if (functionName === '(garbage collector)') gcUs += us;
    const key = url ? `${functionName || '(anonymous)'} (${shortUrl(url)}:${lineNumber + 1})` : functionName || '(anonymous)';
    byFunction.set(key, (byFunction.get(key) ?? 0) + us);
    const pkg = functionName.startsWith('(') && !url ? functionName : packageOf(url);
    byPackage.set(pkg, (byPackage.get(pkg) ?? 0) + us);
  }
  const percent = (us: number) => Math.round((1000 * us) / Math.max(1, totalUs - idleUs)) / 10;
  const ms = (us: number) => Math.round(us / 1000);
  const ranked = [...byFunction].filter(([key]) => key !== '(idle)').sort((a, b) => b[1] - a[1]);
  return {
    file,
    wallMs: ms(totalUs),
    busyMs: ms(totalUs - idleUs),
    gcMs: ms(gcUs),
    topFunctions: ranked.slice(0, limit).map(([fn, us]) => ({ fn, selfMs: ms(us), selfPercent: percent(us) })),
    byPackage: [...byPackage]
      .filter(([pkg]) => pkg !== '(idle)')
      .sort((a, b) => b[1] - a[1])
      .slice(0, 12)
      .map(([pkg, us]) => ({ pkg, selfMs: ms(us), selfPercent: percent(us) })),
  };
}
