import { z } from 'zod';
const count = z.int().nonnegative();
/** A user's unread messages: exact total and per type. */
export const UnreadCount = z.object({
    total: count,
    byType: z.object({ '1': count, '2': count, '3': count }),
});
export const NO_UNREAD = Object.freeze({ total: 0, byType: Object.freeze({ '1': 0, '2': 0, '3': 0 }) });
