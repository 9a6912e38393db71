import type { DestinationStream } from '@notify/observability';

/** One pino JSON line of an in-process app, parsed (`level` 30 = info, 40 = warn, 50 = error). */
export interface LogLine {
  level: number;
  /** The app's logger name: `api`, `worker` or `gateway`. */
  name: string;
  msg: string;
  [field: string]: unknown;
}

/** Keeps the JSON log lines of in-process apps, parsed, in the order they were written. */
export class LogLines {
  private readonly lines: LogLine[] = [];

  /** A pino destination that keeps every line (`createLogger({ destination })`). */
  destination(): DestinationStream {
    return {
      write: (line: string) => {
        this.lines.push(JSON.parse(line) as LogLine);
      },
    };
  }

  /** Every line so far, of one app (by its logger name) or of all. */
  of(app?: string): LogLine[] {
    return this.lines.filter((line) => app === undefined || line.name === app);
  }
}
