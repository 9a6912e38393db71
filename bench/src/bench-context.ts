import type { AgentPool } from './agents/agent-pool.js';
import type { BenchOptions } from './bench-options.js';
import type { BenchStack } from './bench-stack.js';

/** What every scenario gets: the options, the agents, the running pipeline and a progress log. */
export interface BenchContext {
  readonly options: BenchOptions;
  readonly pool: AgentPool;
  readonly bench: BenchStack;
  /** One progress line on stderr (the table goes to stdout). */
  log(line: string): void;
}

/** The pipeline's processes by name, for CPU and memory readings. */
export function pipelineProcesses(bench: BenchStack): Record<string, number> {
  const { stack } = bench;
  return {
    api: stack.api.pid,
    worker: stack.workers[0]?.pid ?? -1,
    gateway: stack.gateways[0]?.pid ?? -1,
    ...bench.redisProcesses,
    ...(bench.ferretdb ? { ferretdb: bench.ferretdb.pid } : {}),
  };
}

/** The pipeline worker's probe URL (`/metrics`). */
export function workerUrl(bench: BenchStack): string {
  const worker = bench.stack.workers[0];
  if (!worker) throw new Error('the bench stack has no worker');
  return worker.url;
}

/** The pipeline gateway's URL. */
export function gatewayUrl(bench: BenchStack): string {
  const url = bench.stack.gatewayUrls[0];
  if (!url) throw new Error('the bench stack has no gateway');
  return url;
}
