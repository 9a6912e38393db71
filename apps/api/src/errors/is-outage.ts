import { StoreUnavailableError } from '@notify/store';

// ioredis reports an unreachable server with these, depending on the moment it is asked.
const REDIS_OUTAGE = /Stream isn't writeable|Connection is closed|Command timed out|ECONNREFUSED|ECONNRESET|ETIMEDOUT|Reached the max retries/;

/** True for errors that mean "Redis or the store is unreachable", which the api answers with 503. */
export function isOutage(error: unknown): boolean {
  if (error instanceof StoreUnavailableError) return true;
  if (!(error instanceof Error)) return false;
  return error.name === 'MaxRetriesPerRequestError' || REDIS_OUTAGE.test(error.message);
}
