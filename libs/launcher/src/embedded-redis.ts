import { execFile, spawn } from 'node:child_process';
import { mkdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { killOnExit, stopChild } from './child-process-exit.js';
import { freePort } from './free-port.js';
import { portInUse } from './port-in-use.js';
import type { AppExit } from './start-app.js';

export interface EmbeddedRedisOptions {
  /** Data directory (append-only file, pid file); created if missing. */
  dir: string;
  /** Port to use when it is free, else any free port. Default 6390 (beside the usual 6379). */
  preferredPort?: number;
  /** Aborting stops a redis-server that is still starting and rejects. */
  signal?: AbortSignal;
  /** How long to wait for "Ready to accept connections" (ms). Default 10 s. */
  startTimeoutMs?: number;
}

/** The redis-server of `npm start`, with its data kept between runs. */
export interface EmbeddedRedis {
  readonly url: string;
  readonly port: number;
  readonly dir: string;
  readonly pid: number;
  /** Settles when redis-server has exited. */
  readonly exit: Promise<AppExit>;
  /** Its last log lines, for failure messages. */
  output(): string;
  /** Graceful stop (SIGTERM: Redis flushes its append-only file), waits for the exit. */
  stop(): Promise<void>;
}

const READY_LINE = /Ready to accept connections/;
const PID_FILE = 'redis-server.pid';

/** The pid of a redis-server that a killed earlier run left running on `dir`, if any. */
async function leftoverRedis(dir: string): Promise<number | undefined> {
  let pid: number;
  try {
    pid = Number.parseInt(await readFile(join(dir, PID_FILE), 'utf8'), 10);
  } catch {
    return undefined;
  }
  if (!Number.isInteger(pid) || pid <= 0) return undefined;
  try {
    // `ps` rather than /proc: the pid may have been reused by something else, and macOS has no /proc.
    const { stdout } = await promisify(execFile)('ps', ['-p', String(pid), '-o', 'stat=', '-o', 'comm=']);
    const [state = '', command = ''] = stdout.trim().split(/\s+/);
    // A zombie (Z) is already dead: its killed parent's pid file was simply never removed.
    return command.includes('redis-server') && !state.startsWith('Z') ? pid : undefined;
  } catch {
    return undefined; // ps exits 1 when there is no such process
  }
}

/**
 * Starts `redis-server` on 127.0.0.1 with its data in `dir` (append-only file on), in its own
 * process group so a terminal's Ctrl-C does not stop it before the apps that use it.
 */
export async function startEmbeddedRedis(options: EmbeddedRedisOptions): Promise<EmbeddedRedis> {
  const { dir } = options;
  await mkdir(dir, { recursive: true });
  const leftover = await leftoverRedis(dir);
  if (leftover !== undefined) {
    // Two servers appending to one file would corrupt it, so refuse rather than start a second.
    throw new Error(
      `a redis-server (pid ${leftover}) is already running on ${dir}: left over from an earlier run ` +
        `that was killed, or another npm start. Stop it (kill ${leftover}) and start again.`,
    );
  }
  const preferred = options.preferredPort ?? 6390;
  const port = (await portInUse(preferred, '127.0.0.1')) ? await freePort() : preferred;
  const args = [
    '--port', String(port),
    '--bind', '127.0.0.1',
    '--dir', dir,
    '--pidfile', join(dir, PID_FILE),
    '--appendonly', 'yes',
    '--save', '',
    '--daemonize', 'no',
    '--protected-mode', 'yes',
    // BullMQ refuses to run on an evicting Redis: jobs must never be dropped to free memory.
    '--maxmemory-policy', 'noeviction',
  ];
  options.signal?.throwIfAborted();
  const child = spawn('redis-server', args, { stdio: ['ignore', 'pipe', 'pipe'], detached: true });
  killOnExit(child);
  let output = '';
  const exit = new Promise<AppExit>((resolve) => child.once('close', (code, signal) => resolve({ code, signal })));

  await new Promise<void>((resolve, reject) => {
    let failure: string | undefined;
    const timeoutMs = options.startTimeoutMs ?? 10_000;
    const giveUp = (reason: string) => {
      failure ??= reason;
      void stopChild(child, 2000);
    };
    const timer = setTimeout(() => giveUp(`did not become ready within ${timeoutMs} ms`), timeoutMs);
    const onAbort = () => giveUp('start was aborted');
    options.signal?.addEventListener('abort', onAbort, { once: true });
    const settle = () => {
      clearTimeout(timer);
      options.signal?.removeEventListener('abort', onAbort);
    };
    const onData = (chunk: Buffer) => {
      output = (output + chunk.toString()).slice(-20_000);
      if (failure === undefined && READY_LINE.test(output)) {
        settle();
        resolve();
      }
    };
    child.stdout.on('data', onData);
    child.stderr.on('data', onData);
    child.once('error', (error) => {
      settle();
      reject(new Error(`cannot run redis-server: ${error.message} (run: npm run setup)`));
    });
    void exit.then(({ code, signal }) => {
      settle();
      const how = signal ? `was killed by ${signal}` : `exited with code ${code}`;
      reject(new Error(`redis-server ${failure ?? `${how} before it was ready`}:\n${output}`));
    });
  });

  return {
    url: `redis://127.0.0.1:${port}`,
    port,
    dir,
    pid: child.pid ?? -1,
    exit,
    output: () => output,
    async stop() {
      await stopChild(child);
      await exit;
    },
  };
}
