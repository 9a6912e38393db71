/**
 * Messages of ioredis errors that mean "Redis cannot answer right now, try again later": an
 * unreachable server, and the states a Redis Cluster passes through while a master fails over or
 * slots move (`CLUSTERDOWN`, `TRYAGAIN`, `MOVED`/`ASK` retried until ioredis gave up, a write to a
 * master that has just become a replica, too few replicas for `min-replicas-to-write`).
 * `CROSSSLOT` is not among them: it is a bug, not an outage.
 */
const REDIS_OUTAGE = new RegExp(
  [
    // One server, depending on the moment it is asked.
    "Stream isn't writeable",
    'Connection is closed',
    'Command timed out',
    'ECONNREFUSED',
    'ECONNRESET',
    'ETIMEDOUT',
    'Reached the max retries',
    // A Redis Cluster.
    '^CLUSTERDOWN',
    '^TRYAGAIN',
    '^MOVED \\d',
    '^ASK \\d',
    '^READONLY',
    '^LOADING',
    '^MASTERDOWN',
    '^NOREPLICAS',
    'Too many Cluster redirections',
    "Cluster isn't ready",
    'None of startup nodes is available',
    'Cluster is ended',
    'Failed to refresh slots cache',
  ].join('|'),
);

const OUTAGE_ERROR_NAMES = new Set(['MaxRetriesPerRequestError', 'ClusterAllFailedError', 'RedisClusterNotOkError']);

/** True for an error that means Redis (one server or a cluster) cannot answer right now: retrying later is safe. */
export function isRedisOutage(error: unknown): boolean {
  if (!(error instanceof Error)) return false;
  return OUTAGE_ERROR_NAMES.has(error.name) || REDIS_OUTAGE.test(error.message);
}
