import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtemp, mkdir } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { freePort } from './free-port.js';
import { exited, killOnExit, stopChild } from './child-process-exit.js';

export interface RedisServerOptions {
  /** Port to listen on; default: a free one. */
  port?: number;
  /** Data directory (append-only file, dump); default: a new temporary directory. */
  dir?: string;
  /** Append-only file on (docs/contract.md: nothing accepted is lost across a Redis restart). Default true. */
  appendOnly?: boolean;
  /** Executable; default `redis-server` on PATH. */
  bin?: string;
  /** How long to wait for "Ready to accept connections" (ms). Default 10 s. */
  startTimeoutMs?: number;
  /** More `--name value` arguments, after the ones above (e.g. `--cluster-enabled yes`). */
  extraArgs?: readonly string[];
}

/** A redis-server child process on 127.0.0.1. */
export interface RedisServer {
  readonly url: string;
  readonly port: number;
  readonly dir: string;
  readonly pid: number;
  /** Graceful stop (SIGTERM: Redis flushes its append-only file), waits for the exit. */
  stop(): Promise<void>;
  /** Starts a stopped server again on the same port and directory. */
  restart(): Promise<void>;
}

const READY_LINE = /Ready to accept connections/;

function launch(bin: string, args: string[], timeoutMs: number): Promise<ChildProcess> {
  return new Promise((resolve, reject) => {
    const child = spawn(bin, args, { stdio: ['ignore', 'pipe', 'pipe'] });
    killOnExit(child);
    let output = '';
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`redis-server did not become ready within ${timeoutMs} ms:\n${output}`));
    }, timeoutMs);
    const onData = (chunk: Buffer) => {
      output += chunk.toString();
      if (READY_LINE.test(output)) {
        clearTimeout(timer);
        child.stdout?.off('data', onData);
        child.stdout?.resume();
        resolve(child);
      }
    };
    child.stdout?.on('data', onData);
    child.stderr?.on('data', (chunk: Buffer) => (output += chunk.toString()));
    child.once('error', (error) => {
      clearTimeout(timer);
      reject(new Error(`cannot run ${bin}: ${error.message} (run: npm run setup)`));
    });
    child.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`redis-server exited with ${code} before it was ready:\n${output}`));
    });
  });
}

/** Starts a real redis-server on 127.0.0.1 and resolves once it accepts connections. */
export async function startRedisServer(options: RedisServerOptions = {}): Promise<RedisServer> {
  const port = options.port || (await freePort());
  const dir = options.dir ?? (await mkdtemp(join(tmpdir(), 'notify-redis-')));
  await mkdir(dir, { recursive: true });
  const bin = options.bin ?? 'redis-server';
  const args = [
    '--port', String(port),
    '--bind', '127.0.0.1',
    '--dir', dir,
    '--appendonly', options.appendOnly === false ? 'no' : 'yes',
    '--save', '',
    '--daemonize', 'no',
    '--protected-mode', 'yes',
    // BullMQ refuses to run on an evicting Redis: jobs must never be dropped to free memory.
    '--maxmemory-policy', 'noeviction',
    ...(options.extraArgs ?? []),
  ];
  const timeoutMs = options.startTimeoutMs ?? 10_000;
  let child = await launch(bin, args, timeoutMs);
  return {
    url: `redis://127.0.0.1:${port}`,
    port,
    dir,
    get pid() {
      return child.pid ?? -1;
    },
    stop: () => stopChild(child),
    async restart() {
      await exited(child);
      child = await launch(bin, args, timeoutMs);
    },
  };
}
