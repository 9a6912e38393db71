import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import type { Readable } from 'node:stream';
import { killOnExit, stopChild } from './child-process-exit.js';
import { repoRoot } from './repo-root.js';

/** The three apps, each built to `apps/<name>/dist/main.js`. */
export type AppName = 'api' | 'worker' | 'gateway';

/** How an app process ended. */
export interface AppExit {
  code: number | null;
  signal: NodeJS.Signals | null;
}

/** A running app that has said it is ready. */
export interface AppProcess {
  readonly name: AppName;
  readonly pid: number;
  /** The HTTP port it said it serves on (api: the API, gateway: socket.io, worker: probes). */
  readonly port: number;
  /** `http://127.0.0.1:<port>`. */
  readonly url: string;
  /** Everything it wrote so far (stdout and stderr, the last `keepLines` lines), for failure messages. */
  output(): string;
  /** Sends `signal` and resolves once the process has exited. */
  kill(signal: NodeJS.Signals): Promise<void>;
  /** SIGTERM, then SIGKILL after `graceMs` (default 10 s); resolves once it has exited. */
  stop(graceMs?: number): Promise<void>;
  /** Settles once the process has exited and its output has been read to the end. */
  readonly exit: Promise<AppExit>;
}

export interface StartAppOptions {
  /** The child's whole environment: nothing is inherited. Undefined values are left out. */
  env: Record<string, string | undefined>;
  /** Give up, and stop the app, when it has not said it is ready within this many ms. Default 20 s. */
  readyTimeoutMs?: number;
  /** Working directory. Default: the repository root. */
  cwd?: string;
  /**
   * Own process group. A terminal's Ctrl-C then reaches only the parent, which can stop the apps
   * in order (apps before Redis) instead of all dying at once. Default false.
   */
  detached?: boolean;
  /** Called with every line the app writes, as it comes (before and after it is ready). */
  onLine?: (line: string, stream: 'stdout' | 'stderr') => void;
  /** Aborting stops an app that is still starting and rejects. */
  signal?: AbortSignal;
  /** How many lines `output()` keeps. Default 2000. */
  keepLines?: number;
}

/** An app exited, timed out or was aborted before it said it was ready. */
export class AppStartError extends Error {
  override readonly name = 'AppStartError';
  readonly code = 'app_start_failed';

  constructor(
    readonly app: AppName,
    /** One line: why it failed. */
    readonly reason: string,
    /** Everything the app wrote. */
    readonly output: string,
  ) {
    super(`${app} ${reason}${output ? `; its output:\n${output}` : ' (it wrote nothing)'}`);
  }
}

/**
 * The bound port of the message an app sends on its IPC channel once it serves
 * (`{type: 'notify:ready', port}`, from `signalReady` in libs/observability), else undefined. A
 * message rather than its `ready` log line, so readiness does not depend on `LOG_LEVEL` or `LOG_FORMAT`.
 */
function readyPort(message: unknown): number | undefined {
  if (typeof message !== 'object' || message === null) return undefined;
  const { type, port } = message as { type?: unknown; port?: unknown };
  return type === 'notify:ready' && Number.isInteger(port) && (port as number) > 0 ? (port as number) : undefined;
}

function describeExit({ code, signal }: AppExit): string {
  return signal ? `was killed by ${signal}` : `exited with code ${code}`;
}

/**
 * Spawns the built app (`node apps/<app>/dist/main.js`) with an IPC channel and resolves once it
 * says on that channel that it serves (whatever its log level). Rejects with an {@link AppStartError} holding its output if it exits or times out
 * first. The child is killed if this process exits, so nothing is left behind.
 */
export function startApp(app: AppName, options: StartAppOptions): Promise<AppProcess> {
  const entry = join(repoRoot, 'apps', app, 'dist', 'main.js');
  if (!existsSync(entry)) {
    return Promise.reject(new AppStartError(app, `is not built: ${entry} is missing (run: npx tsc -b)`, ''));
  }
  if (options.signal?.aborted) return Promise.reject(new AppStartError(app, 'start was aborted', ''));

  const env = Object.fromEntries(
    Object.entries(options.env).filter((entry): entry is [string, string] => entry[1] !== undefined),
  );
  const child = spawn(process.execPath, [entry], {
    cwd: options.cwd ?? repoRoot,
    env,
    stdio: ['ignore', 'pipe', 'pipe', 'ipc'],
    detached: options.detached ?? false,
  });
  killOnExit(child);

  const keepLines = options.keepLines ?? 2000;
  const lines: string[] = [];
  const output = () => lines.join('\n');
  let port: number | undefined;
  let onReady: (() => void) | undefined;
  const read = (stream: Readable | null, name: 'stdout' | 'stderr') => {
    if (!stream) return;
    createInterface({ input: stream, crlfDelay: Infinity }).on('line', (line) => {
      lines.push(line);
      if (lines.length > keepLines) lines.shift();
      options.onLine?.(line, name);
    });
  };
  child.on('message', (message) => {
    if (port !== undefined) return;
    port = readyPort(message);
    if (port !== undefined) onReady?.();
  });
  // The channel is only for that one message: it must not keep this process alive.
  child.channel?.unref();
  read(child.stdout, 'stdout');
  read(child.stderr, 'stderr');

  let spawnError: string | undefined;
  const exit = new Promise<AppExit>((resolve) => {
    // 'close', not 'exit': by then every line has been read, so output() is complete.
    child.once('close', (code, signal) => resolve({ code, signal }));
    child.once('error', (error) => {
      spawnError = error.message;
      if (child.pid === undefined) resolve({ code: null, signal: null });
    });
  });

  const started: AppProcess = {
    name: app,
    pid: child.pid ?? -1,
    get port() {
      return port ?? 0;
    },
    get url() {
      return `http://127.0.0.1:${port ?? 0}`;
    },
    output,
    exit,
    async kill(signal) {
      child.kill(signal);
      await exit;
    },
    async stop(graceMs = 10_000) {
      await stopChild(child, graceMs);
      await exit;
    },
  };

  return new Promise<AppProcess>((resolve, reject) => {
    let failure: string | undefined;
    let ready = false;
    const giveUp = (reason: string) => {
      failure ??= reason;
      void stopChild(child, 2000);
    };
    const timeoutMs = options.readyTimeoutMs ?? 20_000;
    const timer = setTimeout(() => giveUp(`was not ready within ${timeoutMs} ms`), timeoutMs);
    const onAbort = () => giveUp('start was aborted');
    options.signal?.addEventListener('abort', onAbort, { once: true });
    const settle = () => {
      clearTimeout(timer);
      options.signal?.removeEventListener('abort', onAbort);
    };
    onReady = () => {
      if (failure !== undefined) return; // too late: it is being stopped
      ready = true;
      settle();
      resolve(started);
    };
    if (port !== undefined) onReady();
    void exit.then((how) => {
      if (ready) return;
      settle();
      const reason = failure ?? (spawnError ? `could not start: ${spawnError}` : `${describeExit(how)} before it was ready`);
      reject(new AppStartError(app, reason, output()));
    });
  });
}
