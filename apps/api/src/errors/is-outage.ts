import { isRedisOutage } from '@notify/redis';
import { StoreUnavailableError } from '@notify/store';

/**
 * True for errors that mean "Redis (one server or a cluster) or the store is unreachable", which
 * the api answers with 503: a Redis Cluster failing over or moving slots is an outage too.
 */
export function isOutage(error: unknown): boolean {
  return error instanceof StoreUnavailableError || isRedisOutage(error);
}
