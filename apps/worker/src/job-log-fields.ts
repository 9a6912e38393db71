import { z } from 'zod';
import type { Job } from 'bullmq';

/** The part of any job's data that traces it; read leniently, since a malformed job must still be logged. */
const Traced = z.object({
  requestId: z.string().max(200).optional(),
  requestIds: z.array(z.string().max(200)).optional(),
});

/** What names a job on a log line. */
export interface JobLogFields {
  /** A single-record job's id is its record's id; a batch job's begins with its first record's id. */
  jobId: string | undefined;
  /** Job name (`message`, `dynamic`, `batch`). */
  job: string;
  /** The api request that enqueued it (`X-Request-Id`), so one message can be followed from api to worker. */
  requestId: string | undefined;
  /** A batch job: the api requests whose records it carries. */
  requestIds?: string[];
  /** Attempts made so far, counting the one that just ended. */
  attempt: number;
}

/** The fields every log line about `job` carries. */
export function jobLogFields(job: Job<unknown>): JobLogFields {
  const traced = Traced.safeParse(job.data);
  const requestIds = traced.success ? traced.data.requestIds : undefined;
  return {
    jobId: job.id,
    job: job.name,
    requestId: traced.success ? traced.data.requestId : undefined,
    ...(requestIds ? { requestIds } : {}),
    attempt: job.attemptsMade,
  };
}
