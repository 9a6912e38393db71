import { withTimeout } from '@notify/observability';
import { UnavailableError } from './http-errors.js';

/** Settles like `work`, or rejects with {@link UnavailableError} once `ms` have passed: never a hang. */
export function withDeadline<T>(work: Promise<T>, ms: number, what: string): Promise<T> {
  return withTimeout(work, ms, () => new UnavailableError(`${what} did not answer within ${ms} ms`));
}
