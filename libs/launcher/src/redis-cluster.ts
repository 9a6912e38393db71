import { execFile } from 'node:child_process';
import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { startRedisServer, type RedisServer } from './redis-server.js';

const run = promisify(execFile);

export interface RedisClusterOptions {
  /** Masters (each holds a share of the 16,384 slots). Default 3, the fewest Redis allows. */
  masters?: number;
  /** Replicas of each master. Default 1. */
  replicasPerMaster?: number;
  /** Parent of the nodes' data directories; default a new temporary directory. */
  dir?: string;
  /**
   * `cluster-node-timeout` (ms): how long a master may be unreachable before its replica is
   * promoted. Default 2000, so a failover drill takes seconds, not the 15 s Redis defaults to.
   */
  nodeTimeoutMs?: number;
  /** Append-only file on every node. Default true. */
  appendOnly?: boolean;
  /** How long to wait for the cluster to be `ok` (ms). Default 30 s. */
  startTimeoutMs?: number;
}

/** A Redis Cluster of real redis-server processes on 127.0.0.1, created with `redis-cli --cluster create`. */
export interface RedisCluster {
  /** Every node, masters first as created (a failover may change which is which). */
  readonly nodes: readonly RedisServer[];
  /** `host:port` of every node, comma-separated: what `REDIS_CLUSTER_NODES` takes. */
  readonly seeds: string;
  /** Resolves once every live node says `cluster_state:ok` (or rejects after `timeoutMs`). */
  waitUntilOk(timeoutMs?: number): Promise<void>;
  /**
   * Resolves once every live replica's link to its master is up (or rejects after `timeoutMs`). A
   * replica that has not synced yet refuses to be promoted, so a drill that kills a master waits
   * for this first; {@link startRedisCluster} resolves only once it holds.
   */
  waitUntilReplicated(timeoutMs?: number): Promise<void>;
  /** The port of the master that now serves `slot`. */
  masterOfSlot(slot: number): Promise<number>;
  /** Stops every node; safe to call twice. */
  stop(): Promise<void>;
}

/** One line of `redis-cli cluster info`, by field. */
async function clusterInfo(port: number): Promise<Record<string, string>> {
  return fields(port, ['cluster', 'info']);
}

/** The `field:value` lines of a redis-cli reply (`cluster info`, `info replication`), by field. */
async function fields(port: number, command: string[]): Promise<Record<string, string>> {
  const { stdout } = await run('redis-cli', ['-p', String(port), ...command], { timeout: 5000 });
  return Object.fromEntries(
    stdout
      .split(/\r?\n/)
      .filter((line) => line.includes(':'))
      .map((line) => [line.slice(0, line.indexOf(':')), line.slice(line.indexOf(':') + 1)]),
  );
}

const pause = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/**
 * Starts `masters × (1 + replicasPerMaster)` redis-server processes with `cluster-enabled yes`,
 * joins them with `redis-cli --cluster create … --cluster-replicas n`, and resolves once every node
 * reports the cluster `ok`. Whatever started is stopped again if that fails.
 */
export async function startRedisCluster(options: RedisClusterOptions = {}): Promise<RedisCluster> {
  const masters = options.masters ?? 3;
  const replicas = options.replicasPerMaster ?? 1;
  const root = options.dir ?? (await mkdtemp(join(tmpdir(), 'notify-cluster-')));
  const nodeTimeoutMs = options.nodeTimeoutMs ?? 2000;
  const nodes: RedisServer[] = [];
  let stopping: Promise<void> | undefined;
  const stop = () => (stopping ??= Promise.all(nodes.map((node) => node.stop())).then(() => undefined));
  const live = async () => {
    const ports: number[] = [];
    for (const node of nodes) {
      // A node killed by a drill has no process; asking it would only wait for a time-out.
      if (node.pid > 0 && isRunning(node.pid)) ports.push(node.port);
    }
    return ports;
  };
  const waitUntilOk = async (timeoutMs = options.startTimeoutMs ?? 30_000) => {
    const deadline = Date.now() + timeoutMs;
    let last = '';
    for (;;) {
      const states = await Promise.all((await live()).map((port) => clusterInfo(port).then((info) => info, () => ({}) as Record<string, string>)));
      if (states.length > 0 && states.every((info) => info['cluster_state'] === 'ok' && info['cluster_slots_ok'] === '16384')) return;
      last = JSON.stringify(states.map((info) => info['cluster_state'] ?? '?'));
      if (Date.now() >= deadline) throw new Error(`the Redis Cluster is not ok after ${timeoutMs} ms (states: ${last})`);
      await pause(100);
    }
  };
  const waitUntilReplicated = async (timeoutMs = options.startTimeoutMs ?? 30_000) => {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const roles = await Promise.all((await live()).map((port) => fields(port, ['info', 'replication']).catch(() => ({}) as Record<string, string>)));
      if (roles.every((info) => info['role'] === 'master' || info['master_link_status'] === 'up')) return;
      if (Date.now() >= deadline) throw new Error(`the Redis Cluster's replicas are not in sync after ${timeoutMs} ms`);
      await pause(100);
    }
  };
  try {
    for (let index = 0; index < masters * (1 + replicas); index += 1) {
      nodes.push(
        await startRedisServer({
          dir: join(root, `node-${index}`),
          appendOnly: options.appendOnly ?? true,
          extraArgs: [
            '--cluster-enabled', 'yes',
            '--cluster-config-file', 'nodes.conf',
            '--cluster-node-timeout', String(nodeTimeoutMs),
            // Replicas sync at once rather than after Redis's 5 s wait for more replicas to share the transfer.
            '--repl-diskless-sync-delay', '0',
          ],
        }),
      );
    }
    const addresses = nodes.map((node) => `127.0.0.1:${node.port}`);
    await run('redis-cli', ['--cluster', 'create', ...addresses, '--cluster-replicas', String(replicas), '--cluster-yes'], { timeout: 30_000 });
    await waitUntilOk();
    await waitUntilReplicated();
  } catch (error) {
    await stop();
    throw error;
  }
  return {
    nodes,
    seeds: nodes.map((node) => `127.0.0.1:${node.port}`).join(','),
    waitUntilOk,
    waitUntilReplicated,
    async masterOfSlot(slot) {
      for (const port of await live()) {
        const { stdout } = await run('redis-cli', ['-p', String(port), 'cluster', 'nodes'], { timeout: 5000 }).catch(() => ({ stdout: '' }));
        if (stdout) return masterPortIn(stdout, slot);
      }
      throw new Error('no live node of the cluster answers');
    },
    stop,
  };
}

function isRunning(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

/**
 * The port of the master serving `slot`, from `CLUSTER NODES`: one line per node,
 * `<id> <ip:port@busport> <flags> <master> <ping> <pong> <epoch> <link> <slot ranges…>`.
 */
function masterPortIn(nodes: string, slot: number): number {
  for (const line of nodes.split(/\r?\n/)) {
    const [, address, flags, , , , , , ...ranges] = line.trim().split(' ');
    if (!address || !flags?.split(',').includes('master') || flags.includes('fail')) continue;
    for (const range of ranges) {
      const [from, to = from] = range.split('-').map(Number);
      if (from !== undefined && to !== undefined && slot >= from && slot <= to) return Number(address.split('@')[0]?.split(':')[1]);
    }
  }
  throw new Error(`no master serves slot ${slot}`);
}
