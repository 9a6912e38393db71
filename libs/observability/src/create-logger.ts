import { pino, type Logger, type LevelWithSilent } from 'pino';
import pretty from 'pino-pretty';

export interface LoggerOptions {
  /** Process name, on every line (`api`, `worker`, `gateway`). */
  name: string;
  /** Default `info`. */
  level?: LevelWithSilent;
  /** `json` (default): one JSON object per line; `pretty`: colourful lines for a terminal. */
  format?: 'json' | 'pretty';
}

/** The process logger: pino JSON lines on stdout, or pino-pretty for people. */
export function createLogger(options: LoggerOptions): Logger {
  const base = { name: options.name, level: options.level ?? 'info' };
  if (options.format === 'pretty') return pino(base, pretty({ colorize: true, ignore: 'pid,hostname' }));
  return pino(base);
}

export type { Logger } from 'pino';
