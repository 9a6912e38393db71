import { UnrecoverableError, type Job } from 'bullmq';
import { BusType, DynamicJobData, JobName, MessageJobData } from '@notify/contracts';
import type { BusPublisher } from '@notify/bus';
import type { NotificationStore } from '@notify/store';
import type { z } from 'zod';
import { MessageBatcher } from './message-batcher.js';

export interface ProcessorDeps {
  store: NotificationStore;
  bus: BusPublisher;
  /** Called once a record is stored, before it is published (for the store-lag metric). */
  onStored?: (jobName: JobName, recordId: string) => void;
}

/**
 * Handles one job: store the record, then publish it (stored before published, so a page either
 * gets it live or on its next login). A retry stores nothing twice (the record id is the store's
 * key) and publishes again: delivery to open pages is at-least-once. Messages of concurrent jobs
 * share one store write and one publish round ({@link MessageBatcher}).
 */
export function createNotificationProcessor({ store, bus, onStored }: ProcessorDeps) {
  const messages = new MessageBatcher({ store, bus, onStored: (message) => onStored?.(JobName.message, message.id) });
  return async (job: Job<unknown>): Promise<void> => {
    switch (job.name) {
      case JobName.message: {
        await messages.submit(parseJob(MessageJobData, job).message);
        return;
      }
      case JobName.dynamic: {
        const { dynamic } = parseJob(DynamicJobData, job);
        await store.insertDynamics([dynamic]);
        onStored?.(JobName.dynamic, dynamic.id);
        await bus.publish(BusType.dynamicStored, { dynamic });
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
