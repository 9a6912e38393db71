import { UnrecoverableError, type Job } from 'bullmq';
import { BatchJobData, DynamicJobData, JobName, MessageJobData } from '@notify/contracts';
import type { BusPublisher } from '@notify/bus';
import type { Inbox } from '@notify/inbox';
import type { NotificationStore } from '@notify/store';
import type { z } from 'zod';
import { RecordBatcher, type RecordKind } from './record-batcher.js';

export interface ProcessorDeps {
  store: NotificationStore;
  bus: BusPublisher;
  /** Versions the receivers' counts. */
  inbox: Inbox;
  /** Called once a record is stored, before it is published (for the store-lag metric). */
  onStored?: (kind: RecordKind, recordId: string) => void;
}

/**
 * Handles one job: store its records, then publish them (stored before published, so a page either
 * gets each live or on its next login). A job carries one record (`message`, `dynamic`: the jobs
 * of earlier versions, and still every job of one record) or several (`batch`). A retry stores
 * nothing twice (each record's id is the store's key) and publishes again: delivery to open pages
 * is at-least-once. The records of a job, and of the jobs that run alongside it, share one store
 * write and one publish round per type ({@link RecordBatcher}).
 */
export function createNotificationProcessor({ store, bus, inbox, onStored }: ProcessorDeps) {
  const records = new RecordBatcher({ store, bus, inbox, onStored });
  return async (job: Job<unknown>): Promise<void> => {
    switch (job.name) {
      case JobName.message: {
        await records.submitMessage(parseJob(MessageJobData, job).message);
        return;
      }
      case JobName.dynamic: {
        await records.submitDynamic(parseJob(DynamicJobData, job).dynamic);
        return;
      }
      case JobName.batch: {
        await records.submitRecords(parseJob(BatchJobData, job));
        return;
      }
      default:
        throw new UnrecoverableError(`unknown job name "${job.name}"`);
    }
  };
}

/** Job data is parsed, not trusted; a malformed job fails at once (no retries) and stays for inspection. */
function parseJob<S extends z.ZodType>(schema: S, job: Job<unknown>): z.infer<S> {
  const result = schema.safeParse(job.data);
  if (!result.success) throw new UnrecoverableError(`malformed ${job.name} job: ${result.error.message}`);
  return result.data;
}
