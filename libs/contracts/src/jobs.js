import { z } from 'zod';
import { Message } from './message.js';
import { Dynamic } from './dynamic.js';
/** Data of a `message` job: the record to store, exactly as the api accepted it. */
export const MessageJobData = z.object({ message: Message, requestId: z.string().optional() });
/** Data of a `dynamic` job. */
export const DynamicJobData = z.object({ dynamic: Dynamic, requestId: z.string().optional() });
