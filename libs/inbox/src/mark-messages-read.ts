import { BusType, type ReadSelector } from '@notify/contracts';
import type { BusPublisher } from '@notify/bus';
import type { NotificationStore } from '@notify/store';

/**
 * Marks a user's messages read and, when anything changed, tells every page of that user
 * (`msg_read` and the new `unread_count`, through the bus, on every gateway).
 * Resolves with how many messages went from unread to read.
 */
export async function markMessagesRead(
  deps: { store: NotificationStore; bus: BusPublisher },
  uid: string,
  selector: ReadSelector,
): Promise<number> {
  const updated = await deps.store.markRead(uid, selector, new Date().toISOString());
  if (updated > 0) {
    const unread = await deps.store.unreadCount(uid);
    await deps.bus.publish(BusType.messagesRead, { uid, selector, unread });
  }
  return updated;
}
