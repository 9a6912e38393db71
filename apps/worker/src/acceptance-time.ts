import { decodeTime } from 'ulid';

/**
 * When the api accepted a record, in ms since the epoch: the time part of its id (a ULID).
 * Returns undefined for an id that is not a ULID (a job added by hand, say), so a metric is skipped
 * rather than the job failed.
 */
export function acceptanceTime(recordId: string): number | undefined {
  try {
    return decodeTime(recordId);
  } catch {
    return undefined;
  }
}
