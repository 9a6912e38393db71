import { spawn, type ChildProcess } from 'node:child_process';
import { mkdir, mkdtemp, open, readFile, rm } from 'node:fs/promises';
import { connect } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { exited, killOnExit, stopChild } from './child-process-exit.js';
import { freePort } from './free-port.js';
import { repoRoot } from './repo-root.js';

/** Where `scripts/install-ferretdb.sh` (run by `npm test`'s setup when Go is installed) puts FerretDB. */
export const DEFAULT_FERRETDB_BIN = join(repoRoot, '.tools', 'bin', 'ferretdb');

export interface FerretDbServerOptions {
  /** Executable; default {@link DEFAULT_FERRETDB_BIN}. */
  bin?: string;
  /** Port to listen on, on 127.0.0.1; default: a free one. */
  port?: number;
  /** Directory of its SQLite files, state and `ferretdb.log`; default: a new temporary directory, removed by `stop()`. */
  dir?: string;
  /** What FerretDB logs to `<dir>/ferretdb.log`. Default `error`: it logs every connection at info and every failed command at warn. */
  logLevel?: 'debug' | 'info' | 'warn' | 'error';
  /** How long to wait until it accepts connections (ms). Default 10 s. */
  startTimeoutMs?: number;
}

/** A FerretDB child process (MongoDB wire protocol, SQLite backend) on 127.0.0.1. */
export interface FerretDbServer {
  /** `mongodb://127.0.0.1:<port>`. */
  readonly url: string;
  readonly port: number;
  readonly dir: string;
  readonly pid: number;
  /** Stops it by pid (SIGTERM, SIGKILL after 5 s), waits for the exit, and removes `dir` if it made it. */
  stop(): Promise<void>;
}

const LOG_FILE = 'ferretdb.log';
const POLL_MS = 50;

/**
 * Starts FerretDB with the SQLite backend in `dir`, telemetry off and no debug HTTP listener, and
 * resolves once it accepts TCP connections. Rejects with its log when it exits or times out first.
 */
export async function startFerretDb(options: FerretDbServerOptions = {}): Promise<FerretDbServer> {
  const bin = options.bin ?? DEFAULT_FERRETDB_BIN;
  const port = options.port || (await freePort());
  const ownDir = options.dir === undefined;
  const dir = options.dir ?? (await mkdtemp(join(tmpdir(), 'notify-ferretdb-')));
  await mkdir(dir, { recursive: true });
  const args = [
    '--handler=sqlite',
    `--sqlite-url=file:${dir}/`,
    `--listen-addr=127.0.0.1:${port}`,
    `--state-dir=${dir}`,
    // Its default, 127.0.0.1:8088, would clash between two FerretDBs (and with anything else there).
    '--debug-addr=-',
    '--telemetry=disable',
    `--log-level=${options.logLevel ?? 'error'}`,
    '--log-format=text',
  ];
  // A file rather than a pipe: nothing has to keep reading it, and it is there to quote on failure.
  const log = await open(join(dir, LOG_FILE), 'a');
  let child: ChildProcess;
  let ready: Promise<void>;
  try {
    child = spawn(bin, args, { stdio: ['ignore', log.fd, log.fd] });
    // Listening at once: a missing binary is reported by an 'error' event on the next tick.
    ready = acceptsConnections(child, bin, port, options.startTimeoutMs ?? 10_000);
    // Awaited below; this only keeps a rejection that comes while the log closes from counting as unhandled.
    ready.catch(() => undefined);
  } finally {
    await log.close();
  }
  killOnExit(child);
  const removeDir = () => (ownDir ? rm(dir, { recursive: true, force: true }) : Promise.resolve());
  try {
    await ready;
  } catch (error) {
    // A child that never ran (no such file) has no pid and may never emit 'exit'.
    if (child.pid !== undefined) {
      child.kill('SIGKILL');
      await exited(child);
    }
    const output = await readFile(join(dir, LOG_FILE), 'utf8').catch(() => '');
    await removeDir();
    throw new Error(`${(error as Error).message}${output ? `:\n${output.slice(-4000)}` : ''}`);
  }
  return {
    url: `mongodb://127.0.0.1:${port}`,
    port,
    dir,
    pid: child.pid ?? -1,
    async stop() {
      await stopChild(child, 5000);
      await removeDir();
    },
  };
}

/** Polls `port` until a TCP connection succeeds; rejects when the child exits or fails to run, or on timeout. */
function acceptsConnections(child: ChildProcess, bin: string, port: number, timeoutMs: number): Promise<void> {
  return new Promise((resolve, reject) => {
    const deadline = Date.now() + timeoutMs;
    let timer: NodeJS.Timeout | undefined;
    let done = false;
    const finish = (error?: Error) => {
      if (done) return;
      done = true;
      clearTimeout(timer);
      child.off('exit', onExit);
      child.off('error', onError);
      if (error) reject(error);
      else resolve();
    };
    const onExit = (code: number | null, signal: NodeJS.Signals | null) =>
      finish(new Error(`ferretdb exited (${signal ?? code}) before it accepted connections`));
    const onError = (error: Error) =>
      finish(new Error(`cannot run ${bin}: ${error.message} (build it with: bash scripts/install-ferretdb.sh)`));
    child.once('exit', onExit);
    child.once('error', onError);
    const attempt = () => {
      const socket = connect({ host: '127.0.0.1', port });
      socket.once('connect', () => {
        socket.destroy();
        finish();
      });
      socket.once('error', () => {
        socket.destroy();
        if (done) return;
        if (Date.now() >= deadline) finish(new Error(`ferretdb did not accept connections on port ${port} within ${timeoutMs} ms`));
        else timer = setTimeout(attempt, POLL_MS);
      });
    };
    attempt();
  });
}
