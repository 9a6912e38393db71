/**
 * How every notification job runs, for every producer of the `notifications` queue (the api, and
 * the bench's queue baseline, which must make BullMQ do the same bookkeeping): retried with
 * exponential backoff (12 attempts, about 9 minutes in all before it lands in the failed set),
 * completed jobs kept on a bound (the last hour, at most 1,000), failed ones kept 14 days for
 * inspection. BullMQ's `JobsOptions`, written as plain data so the contracts need no BullMQ.
 */
export const NOTIFICATION_JOB_OPTIONS = {
  attempts: 12,
  backoff: { type: 'exponential', delay: 250 },
  removeOnComplete: { age: 3600, count: 1000 },
  removeOnFail: { age: 14 * 24 * 3600, count: 100_000 },
} as const;
