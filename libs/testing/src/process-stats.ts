import { readFile } from 'node:fs/promises';

/** Resident set size of a live process in bytes (`VmRSS` of `/proc/<pid>/status`, Linux); undefined once it has gone. */
export async function processRssBytes(pid: number): Promise<number | undefined> {
  try {
    const status = await readFile(`/proc/${pid}/status`, 'utf8');
    const kib = /^VmRSS:\s+(\d+)\s+kB$/m.exec(status)?.[1];
    return kib === undefined ? undefined : Number(kib) * 1024;
  } catch {
    return undefined;
  }
}

/** Clock ticks per second of `/proc/<pid>/stat` times (USER_HZ, 100 on Linux). */
const TICKS_PER_SECOND = 100;

/** CPU time (user + system, seconds) a live process has used so far (Linux); undefined once it has gone. */
export async function processCpuSeconds(pid: number): Promise<number | undefined> {
  try {
    const stat = await readFile(`/proc/${pid}/stat`, 'utf8');
    // Fields after the command name (which may contain spaces) start at state; utime and stime are the 12th and 13th of those.
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return (Number(fields[11]) + Number(fields[12])) / TICKS_PER_SECOND;
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
  let lowest = await processRssBytes(pid);
  let lowestAt = started;
  while (lowest !== undefined && Date.now() - started < maxMs && (Date.now() - started < minMs || Date.now() - lowestAt < 2000)) {
    await new Promise((resolve) => setTimeout(resolve, 250));
    const now = await processRssBytes(pid);
    if (now !== undefined && now < lowest) {
      lowest = now;
      lowestAt = Date.now();
    }
  }
  return lowest;
}
