import type { DestinationStream } from 'pino';

export interface LineBufferOptions {
  /** Buffered lines are written at the latest this many ms after the first of them. Default 50. */
  flushAfterMs?: number;
  /** …or once this many characters are buffered. Default 16 KiB. */
  flushAtChars?: number;
}

/** A pino line at `warn` (40) or above: pino writes the level first, `{"level":40,…`. */
const URGENT = /^\{"level":[4-9]\d/;

/**
 * A pino destination that gathers lines and writes them to `out` together: within `flushAfterMs`,
 * at `flushAtChars`, at once (with everything before it) for a line at `warn` or above, and at
 * process exit. One `request` line per API call written on its own cost a write system call each,
 * and a wake-up of whatever reads the output, per request; gathered, it is one per batch. A
 * process killed outright loses the `info` and `debug` lines of its last `flushAfterMs`, never a
 * warning or an error.
 */
export function lineBuffer(out: DestinationStream, options: LineBufferOptions = {}): DestinationStream & { flush(done?: () => void): void } {
  const flushAfterMs = options.flushAfterMs ?? 50;
  const flushAtChars = options.flushAtChars ?? 16 * 1024;
  let buffered = '';
  let timer: NodeJS.Timeout | undefined;
  // `done`: pino's logger.flush(cb) passes its callback on; `out` is written synchronously.
  const flush = (done?: () => void) => {
    if (timer) clearTimeout(timer);
    timer = undefined;
    if (buffered !== '') {
      const lines = buffered;
      buffered = '';
      out.write(lines);
    }
    done?.();
  };
  process.once('exit', () => flush());
  return {
    write(line: string) {
      buffered += line;
      if (buffered.length >= flushAtChars || URGENT.test(line)) flush();
      else if (!timer) {
        timer = setTimeout(() => flush(), flushAfterMs);
        // Never what keeps a process alive; at exit the 'exit' handler writes what is left.
        timer.unref();
      }
    },
    flush,
  };
}
