import { forkBenchChild, type BenchChild } from '../bench-child.js';

/** A baseline server process and its URL. */
export interface BaselineServer {
  readonly url: string;
  readonly pid: number;
  stop(): Promise<void>;
}

/** Forks `baselines/<name>.js` and resolves once it listens. */
export async function startBaselineServer(name: 'direct-push-server' | 'socket-ceiling-server', env: Record<string, string> = {}): Promise<BaselineServer> {
  const child: BenchChild = await forkBenchChild(`./baselines/${name}.js`, { env });
  const { port } = child.hello as { port: number };
  return { url: `http://127.0.0.1:${port}`, pid: child.pid, stop: () => child.stop() };
}
