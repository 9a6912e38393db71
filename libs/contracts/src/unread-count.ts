import { z } from 'zod';

const count = z.int().nonnegative();

/** A user's unread messages: exact total and per type. */
export const UnreadCount = z.object({
  total: count,
  byType: z.object({ '1': count, '2': count, '3': count }),
});
export type UnreadCount = z.infer<typeof UnreadCount>;

export const NO_UNREAD: UnreadCount = Object.freeze({ total: 0, byType: Object.freeze({ '1': 0, '2': 0, '3': 0 }) });

/**
 * A user's counts as pages get them (`unread_count`) and `GET …/unread-count` answers: unread
 * (`total`, `byType`) and `unseen`, over messages that are neither archived nor deleted, and a
 * `version` that only grows for the user: a page keeps the counts with the highest version it has
 * seen and drops one that arrives later with a lower one.
 */
export const InboxCounts = UnreadCount.extend({
  unseen: count,
  version: count,
});
export type InboxCounts = z.infer<typeof InboxCounts>;

/** The counts a store reads: {@link InboxCounts} without the version, which the inbox assigns. */
export type StoredCounts = Omit<InboxCounts, 'version'>;
export const NO_COUNTS: StoredCounts = Object.freeze({ ...NO_UNREAD, unseen: 0 });
