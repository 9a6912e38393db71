import { existsSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { DEFAULT_FERRETDB_BIN } from '@notify/launcher';

/** Everything `npm run bench` can be told, with defaults that finish in about 2 minutes on 2 cores. */
export interface BenchOptions {
  /** Scenarios and baselines to run, in the fixed order of {@link SCENARIOS}. */
  scenarios: Scenario[];
  store: 'sqlite' | 'mongo';
  /**
   * The Redis each run is on, one run per entry in this order: `single` (one redis-server) or
   * `cluster` (a Redis Cluster of 3 masters and 3 replicas, the queue in 3 partitions). Two entries
   * print a side-by-side table of both runs after their own.
   */
  redis: RedisMode[];
  /** Connections scenario: authenticated pages to open. */
  pages: number;
  /** Connections scenario: users per company (each user has 1–3 tabs). */
  companyUsers: number;
  /** Unicast: users (each with 1–3 tabs open). */
  users: number;
  /** Unicast: companies the users belong to. */
  companies: number;
  /** Unicast fixed-rate phase: messages per second. */
  rate: number;
  /** Closed-loop ("flat out") phases: records in flight end to end, across all agents. */
  window: number;
  /** Seconds per measured phase (broadcast: half of it per company size). */
  durationS: number;
  /** Characters of each record's `content`. */
  payloadBytes: number;
  /** Broadcast: open pages per company, one phase each. */
  broadcastSizes: number[];
  /** Bulk: messages per `POST /v1/bulk` request. */
  bulkSize: number;
  /** Bulk: requests in flight end to end, across all agents. */
  bulkWindow: number;
  /** Bulk: the share of each request's messages that go to users with a page open (the rest are stored for later). */
  bulkOnline: number;
  /** Fan-out: receivers of the one message (`receiverIDs`), each with a page open. */
  fanoutReceivers: number;
  /** Fan-out: messages sent, one after the other. */
  fanoutSends: number;
  /** Replay: users with unread messages, each logging in with this many unread. */
  replayUsers: number;
  replayUnread: number;
  /** Replay: logins timed at each stored size. */
  replayLogins: number;
  /** Replay: messages stored when it is measured, ascending (e.g. 10k and 1M). */
  replayStored: number[];
  /** Agent processes holding the pages and driving the load. */
  agents: number;
  /** Write `--cpu-prof` profiles of the api, worker and gateway and summarise them. */
  profile: boolean;
  /** Results directory (JSON, SVG, profiles). */
  outDir: string;
  /** Extra environment for the apps, e.g. `WORKER_CONCURRENCY=100`. */
  appEnv: Record<string, string>;
}

export const REDIS_MODES = ['single', 'cluster'] as const;
export type RedisMode = (typeof REDIS_MODES)[number];

export const SCENARIOS = ['connections', 'replay', 'contention', 'unicast', 'broadcast', 'bulk', 'fanout', 'direct', 'socket', 'queue'] as const;
export type Scenario = (typeof SCENARIOS)[number];

export const DEFAULT_OPTIONS: BenchOptions = {
  scenarios: [...SCENARIOS],
  store: 'sqlite',
  redis: ['single'],
  pages: 10_000,
  companyUsers: 100,
  users: 500,
  companies: 10,
  rate: 1000,
  window: 200,
  durationS: 5,
  payloadBytes: 200,
  broadcastSizes: [10, 100, 1000],
  bulkSize: 1000,
  bulkWindow: 8,
  bulkOnline: 0.1,
  fanoutReceivers: 1000,
  fanoutSends: 20,
  replayUsers: 100,
  replayUnread: 50,
  replayLogins: 200,
  replayStored: [10_000, 1_000_000],
  agents: 4,
  profile: false,
  outDir: 'bench/results',
  appEnv: {},
};

export const USAGE = `npm run bench -- [options]

Starts Redis, the api, a worker and a gateway (plus the baselines), drives them from separate
processes, prints a table and writes bench/results/<timestamp>.json and .svg.

  --scenarios <list>      ${SCENARIOS.join(',')} (default: all)
  --store sqlite|mongo    mongo: MONGO_URL's server, else a FerretDB the bench starts
  --redis <list>          single, cluster, or single,cluster: one run on each, then both side
                          by side (cluster: 3 masters + 3 replicas the bench starts, the queue in
                          QUEUE_PARTITIONS=3; default single)
                          (.tools/bin/ferretdb, see scripts/install-ferretdb.sh); either way a
                          throwaway database is created and dropped
  --pages <n>             connections: pages to open (default ${DEFAULT_OPTIONS.pages})
  --company-users <n>     connections: users per company (default ${DEFAULT_OPTIONS.companyUsers})
  --users <n>             unicast: users, each with 1-3 tabs (default ${DEFAULT_OPTIONS.users})
  --companies <n>         unicast: companies (default ${DEFAULT_OPTIONS.companies})
  --rate <n>              unicast fixed-rate phase, messages/s (default ${DEFAULT_OPTIONS.rate})
  --window <n>            flat-out phases: records in flight end to end (default ${DEFAULT_OPTIONS.window})
  --duration <s>          seconds per phase; broadcast: half per size (default ${DEFAULT_OPTIONS.durationS})
  --payload <bytes>       content size (default ${DEFAULT_OPTIONS.payloadBytes})
  --broadcast-sizes <l>   pages per company (default ${DEFAULT_OPTIONS.broadcastSizes.join(',')})
  --bulk-size <n>         bulk: messages per POST /v1/bulk (default ${DEFAULT_OPTIONS.bulkSize})
  --bulk-window <n>       bulk: requests in flight end to end (default ${DEFAULT_OPTIONS.bulkWindow})
  --bulk-online <share>   bulk: share of the messages to users with a page open, the rest
                          to users without one (default ${DEFAULT_OPTIONS.bulkOnline}; 1 = all)
  --fanout-receivers <n>  fan-out: receivers of one message, each with a page open (default ${DEFAULT_OPTIONS.fanoutReceivers})
  --fanout-sends <n>      fan-out: such messages, one after the other (default ${DEFAULT_OPTIONS.fanoutSends})
  --replay-users <n>      users with unread messages (default ${DEFAULT_OPTIONS.replayUsers})
  --replay-unread <n>     unread messages each (default ${DEFAULT_OPTIONS.replayUnread})
  --replay-logins <n>     logins timed per stored size (default ${DEFAULT_OPTIONS.replayLogins})
  --replay-stored <l>     stored messages at each measurement (default ${DEFAULT_OPTIONS.replayStored.join(',')})
  --agents <n>            client processes (default ${DEFAULT_OPTIONS.agents})
  --profile               CPU-profile the api, worker and gateway during the pipeline's
                          unicast phases (fixed rate, flat out) and bulk, each on its own;
                          print their top functions
  --app-env K=V           extra app environment (repeatable), e.g. WORKER_CONCURRENCY=100
  --out <dir>             results directory (default ${DEFAULT_OPTIONS.outDir})
  --help`;

/** A bad command line; its message is one line for the user. */
export class BenchUsageError extends Error {
  override readonly name = 'BenchUsageError';
}

function positive(name: string, value: string | undefined, fallback: number, min = 1): number {
  if (value === undefined) return fallback;
  const parsed = Number(value);
  if (!Number.isFinite(parsed) || parsed < min) throw new BenchUsageError(`--${name} must be a number >= ${min}, got "${value}"`);
  return parsed;
}

/** A share in (0, 1]. */
function share(name: string, value: string | undefined, fallback: number): number {
  if (value === undefined) return fallback;
  const parsed = Number(value);
  if (!Number.isFinite(parsed) || parsed <= 0 || parsed > 1) throw new BenchUsageError(`--${name} must be a share above 0 and at most 1, got "${value}"`);
  return parsed;
}

function list(name: string, value: string | undefined, fallback: number[]): number[] {
  if (value === undefined) return fallback;
  return value.split(',').map((item) => Math.round(positive(name, item.trim(), 0)));
}

/**
 * Parses `argv` (without node and the script); throws {@link BenchUsageError}; `null` for `--help`.
 * `ferretDbBuilt` says whether `--store mongo` without MONGO_URL has a FerretDB to start.
 */
export function parseBenchOptions(
  argv: readonly string[],
  env: NodeJS.ProcessEnv = process.env,
  ferretDbBuilt: () => boolean = () => existsSync(DEFAULT_FERRETDB_BIN),
): BenchOptions | null {
  let values;
  try {
    ({ values } = parseArgs({
      args: [...argv],
      strict: true,
      options: {
        scenarios: { type: 'string' },
        store: { type: 'string' },
        redis: { type: 'string' },
        pages: { type: 'string' },
        'company-users': { type: 'string' },
        users: { type: 'string' },
        companies: { type: 'string' },
        rate: { type: 'string' },
        window: { type: 'string' },
        duration: { type: 'string' },
        payload: { type: 'string' },
        'broadcast-sizes': { type: 'string' },
        'bulk-size': { type: 'string' },
        'bulk-window': { type: 'string' },
        'bulk-online': { type: 'string' },
        'fanout-receivers': { type: 'string' },
        'fanout-sends': { type: 'string' },
        'replay-users': { type: 'string' },
        'replay-unread': { type: 'string' },
        'replay-logins': { type: 'string' },
        'replay-stored': { type: 'string' },
        agents: { type: 'string' },
        profile: { type: 'boolean' },
        'app-env': { type: 'string', multiple: true },
        out: { type: 'string' },
        help: { type: 'boolean' },
      },
    }));
  } catch (error) {
    throw new BenchUsageError((error as Error).message);
  }
  if (values.help) return null;
  const d = DEFAULT_OPTIONS;
  const scenarios = values.scenarios?.split(',').map((name) => name.trim()) ?? d.scenarios;
  const unknown = scenarios.filter((name) => !(SCENARIOS as readonly string[]).includes(name));
  if (unknown.length > 0) throw new BenchUsageError(`--scenarios: unknown ${unknown.join(', ')} (known: ${SCENARIOS.join(', ')})`);
  const redis = (values.redis ?? 'single').split(',').map((mode) => mode.trim());
  const badMode = redis.find((mode) => !(REDIS_MODES as readonly string[]).includes(mode));
  if (badMode !== undefined || redis.length === 0 || new Set(redis).size !== redis.length) {
    throw new BenchUsageError(`--redis must be single, cluster or single,cluster, got "${values.redis ?? ''}"`);
  }
  const store = values.store ?? 'sqlite';
  if (store !== 'sqlite' && store !== 'mongo') throw new BenchUsageError(`--store must be sqlite or mongo, got "${store}"`);
  if (store === 'mongo' && !env.MONGO_URL && !ferretDbBuilt()) {
    throw new BenchUsageError(
      '--store mongo needs MONGO_URL (e.g. MONGO_URL=mongodb://127.0.0.1:27017) or FerretDB, which bash scripts/install-ferretdb.sh builds (with Go)',
    );
  }
  const appEnv: Record<string, string> = {};
  for (const pair of values['app-env'] ?? []) {
    const match = /^([A-Z][A-Z0-9_]*)=(.*)$/.exec(pair);
    if (!match) throw new BenchUsageError(`--app-env must be NAME=value, got "${pair}"`);
    appEnv[match[1] as string] = match[2] as string;
  }
  const replayStored = list('replay-stored', values['replay-stored'], d.replayStored).sort((a, b) => a - b);
  const replayUsers = Math.round(positive('replay-users', values['replay-users'], d.replayUsers));
  const replayUnread = Math.round(positive('replay-unread', values['replay-unread'], d.replayUnread));
  if ((replayStored[0] ?? 0) < replayUsers * replayUnread) {
    throw new BenchUsageError(`--replay-stored: the smallest size must hold the ${replayUsers * replayUnread} unread messages of the replay users`);
  }
  return {
    scenarios: SCENARIOS.filter((name) => scenarios.includes(name)),
    store,
    redis: redis as RedisMode[],
    pages: Math.round(positive('pages', values.pages, d.pages)),
    companyUsers: Math.round(positive('company-users', values['company-users'], d.companyUsers)),
    users: Math.round(positive('users', values.users, d.users)),
    companies: Math.round(positive('companies', values.companies, d.companies)),
    rate: positive('rate', values.rate, d.rate),
    window: Math.round(positive('window', values.window, d.window)),
    durationS: positive('duration', values.duration, d.durationS, 0.5),
    payloadBytes: Math.round(positive('payload', values.payload, d.payloadBytes, 0)),
    broadcastSizes: list('broadcast-sizes', values['broadcast-sizes'], d.broadcastSizes),
    bulkSize: Math.min(1000, Math.round(positive('bulk-size', values['bulk-size'], d.bulkSize))),
    bulkWindow: Math.round(positive('bulk-window', values['bulk-window'], d.bulkWindow)),
    bulkOnline: share('bulk-online', values['bulk-online'], d.bulkOnline),
    fanoutReceivers: Math.min(1000, Math.round(positive('fanout-receivers', values['fanout-receivers'], d.fanoutReceivers))),
    fanoutSends: Math.round(positive('fanout-sends', values['fanout-sends'], d.fanoutSends)),
    replayUsers,
    replayUnread,
    replayLogins: Math.round(positive('replay-logins', values['replay-logins'], d.replayLogins)),
    replayStored,
    agents: Math.round(positive('agents', values.agents, d.agents)),
    profile: values.profile ?? false,
    outDir: values.out ?? d.outDir,
    appEnv,
  };
}
