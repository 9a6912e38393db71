import { fork, type ChildProcess } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { killOnExit, stopChild } from '@notify/launcher';

/** A bench script running as a child process, talking over IPC. */
export interface BenchChild {
  readonly child: ChildProcess;
  readonly pid: number;
  /** The first IPC message it sent (its "ready" report). */
  readonly hello: unknown;
  /** SIGTERM, then SIGKILL after `graceMs` (default 3 s); resolves once it has exited. */
  stop(graceMs?: number): Promise<void>;
}

/**
 * Forks `script` (a path relative to `bench/dist/`) with plain `node` (no inherited `execArgv`, so a
 * profiled orchestrator does not profile its helpers) and resolves with its first IPC message.
 * The child is killed if this process exits; `stop()` ends it by pid.
 */
export function forkBenchChild(
  script: string,
  options: { args?: string[]; env?: Record<string, string>; readyTimeoutMs?: number } = {},
): Promise<BenchChild> {
  const path = fileURLToPath(new URL(script, import.meta.url));
  const child = fork(path, options.args ?? [], {
    execArgv: [],
    env: { ...process.env, ...options.env },
    serialization: 'advanced',
    stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
  });
  killOnExit(child);
  const stop = (graceMs = 3000) => stopChild(child, graceMs);
  return new Promise((resolve, reject) => {
    const timeoutMs = options.readyTimeoutMs ?? 20_000;
    const timer = setTimeout(() => fail(new Error(`${script} did not report ready within ${timeoutMs} ms`)), timeoutMs);
    const onExit = (code: number | null, signal: string | null) => fail(new Error(`${script} exited (${signal ?? code}) before it was ready`));
    function fail(error: Error) {
      clearTimeout(timer);
      child.off('exit', onExit);
      void stop(500).finally(() => reject(error));
    }
    child.once('exit', onExit);
    child.once('error', fail);
    child.once('message', (hello) => {
      clearTimeout(timer);
      child.off('exit', onExit);
      resolve({ child, pid: child.pid ?? -1, hello, stop });
    });
  });
}
