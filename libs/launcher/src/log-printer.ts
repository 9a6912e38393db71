import { styleText } from 'node:util';
import pinoPretty from 'pino-pretty';
import type { AppName } from './start-app.js';

export interface LogPrinterOptions {
  /** Pass the apps' JSON lines through as they are (for a log collector) instead of prettifying them. Default false. */
  json?: boolean;
  /** ANSI colours. Default: whether stdout is a terminal. */
  colors?: boolean;
  /** Default `process.stdout`. */
  out?: NodeJS.WritableStream;
  /** Where stderr lines of the apps go. Default `process.stderr`. */
  err?: NodeJS.WritableStream;
}

type Level = 'info' | 'warn' | 'error';
type Colour = Parameters<typeof styleText>[0];

const PINO_LEVELS: Record<Level, number> = { info: 30, warn: 40, error: 50 };
const COLOURS: Record<AppName | 'notify', Colour> = { gateway: 'magenta', api: 'cyan', worker: 'yellow', notify: 'green' };
const WIDTH = 'gateway'.length;

/** Prints the apps' log lines and the launcher's own messages, prefixed with who said it. */
export class LogPrinter {
  private readonly json: boolean;
  private readonly colors: boolean;
  private readonly out: NodeJS.WritableStream;
  private readonly err: NodeJS.WritableStream;
  private readonly pretty: (line: string) => string;

  constructor(options: LogPrinterOptions = {}) {
    this.out = options.out ?? process.stdout;
    this.err = options.err ?? process.stderr;
    this.json = options.json ?? false;
    this.colors = options.colors ?? process.stdout.isTTY === true;
    this.pretty = pinoPretty.prettyFactory({
      colorize: this.colors,
      translateTime: 'SYS:HH:MM:ss.l',
      // The prefix names the app; one line per record keeps three interleaved apps readable.
      ignore: 'pid,hostname,name',
      singleLine: true,
    });
  }

  /** One line an app wrote: a pino JSON line is prettified (unless `json`), anything else is printed as it is. */
  app(name: AppName, line: string, stream: 'stdout' | 'stderr'): void {
    const to = stream === 'stderr' ? this.err : this.out;
    if (this.json) {
      to.write(stream === 'stdout' ? `${line}\n` : `${this.prefix(name)}${line}\n`);
      return;
    }
    // pino-pretty prints a non-JSON line unchanged, and an error's stack on the lines after the message.
    const text = line.trimStart().startsWith('{') ? this.pretty(line) : line;
    this.write(to, name, text);
  }

  /** One of the launcher's own messages: a pino-style JSON line in `json` mode. */
  launcher(level: Level, msg: string, fields: Record<string, unknown> = {}): void {
    const to = level === 'info' ? this.out : this.err;
    if (this.json) {
      to.write(`${JSON.stringify({ level: PINO_LEVELS[level], time: Date.now(), name: 'launcher', msg, ...fields })}\n`);
      return;
    }
    const text = level === 'info' ? msg : this.style(level === 'warn' ? 'yellow' : 'red', msg);
    this.write(to, 'notify', text);
  }

  /** Shows `lines` again under `heading` (e.g. a crashed app's last lines): one JSON record in `json` mode. */
  replay(name: AppName | 'redis-server', heading: string, lines: string[]): void {
    if (this.json) {
      this.launcher('error', heading, { app: name, lastLines: lines });
      return;
    }
    this.launcher('error', heading);
    for (const line of lines) {
      if (name === 'redis-server') this.err.write(`  ${line}\n`);
      else this.app(name, line, 'stderr');
    }
  }

  /** Text for people (the banner): to stdout, or to stderr in `json` mode so stdout stays JSON lines. */
  text(text: string): void {
    (this.json ? this.err : this.out).write(text.endsWith('\n') ? text : `${text}\n`);
  }

  /** `text` in `colour` when colours are on. */
  style(colour: Colour, text: string): string {
    return this.colors ? styleText(colour, text) : text;
  }

  private prefix(name: AppName | 'notify'): string {
    return `${this.style(COLOURS[name], name.padEnd(WIDTH))} │ `;
  }

  private write(to: NodeJS.WritableStream, name: AppName | 'notify', text: string): void {
    const lines = text.replace(/\n$/, '').split('\n');
    to.write(`${lines.map((line) => `${this.prefix(name)}${line}`).join('\n')}\n`);
  }
}
