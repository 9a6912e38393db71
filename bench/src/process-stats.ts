import { readFile } from 'node:fs/promises';

/** Resident memory of a process (bytes), from `/proc/<pid>/status` VmRSS; undefined off Linux. */
async function residentBytes(pid: number): Promise<number | undefined> {
  try {
    const status = await readFile(`/proc/${pid}/status`, 'utf8');
    const kb = /^VmRSS:\s+(\d+)\s+kB/m.exec(status)?.[1];
    return kb === undefined ? undefined : Number(kb) * 1024;
  } catch {
    return undefined;
  }
}

/** CPU time (user + system, ms) a process has used so far, from `/proc/<pid>/stat`. */
export async function cpuMs(pid: number): Promise<number | undefined> {
  try {
    const stat = await readFile(`/proc/${pid}/stat`, 'utf8');
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    // utime and stime are fields 14 and 15 of the whole line, 12 and 13 after "pid (comm) ".
    const ticks = Number(fields[11]) + Number(fields[12]);
    return (ticks * 1000) / 100;
  } catch {
    return undefined;
  }
}

/**
 * Resident memory once a process has settled: sampled every 250 ms for at least `minMs`, until it
 * has not dropped for 2 s (or `maxMs` has passed), and the lowest sample. A single reading right
 * after a burst of work counts whatever garbage V8 has not collected yet, which is not memory the
 * process keeps (10,000 page connects read 16 or 26 KiB per page depending on when it was taken).
 */
export async function settledResidentBytes(pid: number, minMs: number, maxMs = 10_000): Promise<number | undefined> {
  const started = Date.now();
  let lowest = await residentBytes(pid);
  let lowestAt = started;
  while (lowest !== undefined && Date.now() - started < maxMs && (Date.now() - started < minMs || Date.now() - lowestAt < 2000)) {
    await new Promise((resolve) => setTimeout(resolve, 250));
    const now = await residentBytes(pid);
    if (now !== undefined && now < lowest) {
      lowest = now;
      lowestAt = Date.now();
    }
  }
  return lowest;
}
