import { z } from 'zod';
import { Message } from './message.js';
import { Dynamic } from './dynamic.js';

/**
 * Data of a `message` job: one record to store, exactly as the api accepted it. A job that carries
 * one record is always of this form (or `dynamic`), and its job id is that record's id.
 */
export const MessageJobData = z.object({ message: Message, requestId: z.string().optional() });
export type MessageJobData = z.infer<typeof MessageJobData>;

/** Data of a `dynamic` job: one record, its id the job id. */
export const DynamicJobData = z.object({ dynamic: Dynamic, requestId: z.string().optional() });
export type DynamicJobData = z.infer<typeof DynamicJobData>;

/**
 * Data of a `batch` job: several records the api accepted together (the receivers of one request,
 * a bulk request, or the requests of one event-loop turn), within the api's size bound. Each
 * record keeps its own id, the store's key, so a retried batch stores nothing twice. `requestIds`
 * are the api requests (`X-Request-Id`) whose records it carries, for the logs.
 */
export const BatchJobData = z.object({
  messages: z.array(Message).default([]),
  dynamics: z.array(Dynamic).default([]),
  requestIds: z.array(z.string()).optional(),
});
export type BatchJobData = z.infer<typeof BatchJobData>;
