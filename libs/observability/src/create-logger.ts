import { pino, type DestinationStream, type Logger, type LevelWithSilent } from 'pino';
import pretty from 'pino-pretty';
import { lineBuffer } from './line-buffer.js';

export interface LoggerOptions {
  /** Process name, on every line (`api`, `worker`, `gateway`). */
  name: string;
  /** Default `info`. */
  level?: LevelWithSilent;
  /** `json` (default): one JSON object per line; `pretty`: colourful lines for a terminal. */
  format?: 'json' | 'pretty';
  /**
   * Where JSON lines go instead of stdout (each `write` gets one line), e.g. a test keeping an
   * in-process app's lines. Default: stdout, written synchronously, `info` and `debug` lines
   * gathered for up to 50 ms ({@link lineBuffer}). Ignored with `pretty`.
   */
  destination?: DestinationStream;
}

/**
 * The process logger: pino JSON lines on stdout, or pino-pretty for people.
 *
 * JSON lines are written synchronously. pino's default stdout stream writes asynchronously
 * through libuv's thread pool: one thread hand-off and one wake-up of the event loop per line,
 * which under load (a `request` line per API call) cost more CPU than writing the line itself,
 * and a line still in flight is lost if the process dies. Lines below `warn` are gathered and
 * written together within 50 ms: one write per batch rather than one per line.
 */
export function createLogger(options: LoggerOptions): Logger {
  const base = { name: options.name, level: options.level ?? 'info' };
  if (options.format === 'pretty') return pino(base, pretty({ colorize: true, ignore: 'pid,hostname' }));
  return pino(base, options.destination ?? lineBuffer(pino.destination({ dest: 1, sync: true })));
}

export type { DestinationStream, Logger } from 'pino';
