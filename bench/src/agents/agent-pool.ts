import { forkBenchChild, type BenchChild } from '../bench-child.js';
import type { AgentCommand, AgentReply, AgentResults } from './agent-protocol.js';

type Pending = { resolve: (value: unknown) => void; reject: (error: Error) => void };

/** One agent process seen from the orchestrator. */
export class AgentHandle {
  private seq = 0;
  private readonly pending = new Map<number, Pending>();

  constructor(
    readonly index: number,
    private readonly child: BenchChild,
  ) {
    child.child.on('message', (reply: AgentReply) => {
      const waiting = this.pending.get(reply.seq);
      if (!waiting) return;
      this.pending.delete(reply.seq);
      if (reply.ok) waiting.resolve(reply.result);
      else waiting.reject(new Error(`agent ${index}: ${reply.error}`));
    });
    child.child.once('exit', (code, signal) => {
      for (const waiting of this.pending.values()) waiting.reject(new Error(`agent ${index} exited (${signal ?? code})`));
      this.pending.clear();
    });
  }

  get pid(): number {
    return this.child.pid;
  }

  call<C extends AgentCommand>(command: C): Promise<AgentResults[C['cmd']]> {
    const seq = (this.seq += 1);
    return new Promise((resolve, reject) => {
      this.pending.set(seq, { resolve: resolve as (value: unknown) => void, reject });
      this.child.child.send({ ...command, seq });
    });
  }

  stop(): Promise<void> {
    return this.child.stop();
  }
}

/** The agent processes: simulated pages and load drivers, each a separate `node` process. */
export class AgentPool {
  private constructor(readonly agents: AgentHandle[]) {}

  static async start(count: number): Promise<AgentPool> {
    const started = await Promise.allSettled(Array.from({ length: count }, () => forkBenchChild('./agents/agent-main.js')));
    const agents = started.flatMap((result, index) => (result.status === 'fulfilled' ? [new AgentHandle(index, result.value)] : []));
    const failure = started.find((result) => result.status === 'rejected');
    if (failure) {
      await Promise.all(agents.map((agent) => agent.stop()));
      throw failure.reason;
    }
    return new AgentPool(agents);
  }

  /** The same command to every agent. */
  all<C extends AgentCommand>(command: C): Promise<AgentResults[C['cmd']][]> {
    return Promise.all(this.agents.map((agent) => agent.call(command)));
  }

  stop(): Promise<void> {
    return Promise.all(this.agents.map((agent) => agent.stop())).then(() => undefined);
  }
}
