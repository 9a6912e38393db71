import type { InboxCounts, Message, MessageChange, MessageTypeId } from '@notify/contracts';

/** Which messages a change covers: some ids, every message up to and including an id, one type, or all. */
export type ChangeTarget = { ids: ReadonlySet<string> } | { upTo: string } | { typeID: MessageTypeId } | { all: true };

/** How a change moves the counts (unread `total` and `byType`, and `unseen`). */
export interface CountsDelta {
  total: number;
  byType: Record<`${MessageTypeId}`, number>;
  unseen: number;
}

export const NO_COUNTS: InboxCounts = Object.freeze({ total: 0, byType: Object.freeze({ '1': 0, '2': 0, '3': 0 }), unseen: 0, version: 0 });

const noDelta = (): CountsDelta => ({ total: 0, byType: { '1': 0, '2': 0, '3': 0 }, unseen: 0 });

export function covers(target: ChangeTarget, message: Message): boolean {
  if ('ids' in target) return target.ids.has(message.id);
  if ('upTo' in target) return message.id <= target.upTo;
  if ('typeID' in target) return message.typeID === target.typeID;
  return true;
}

/**
 * A message of the inbox after `change`: the same object when nothing changes, undefined when it
 * leaves the inbox (archived or deleted). Reading also marks seen, as the gateway does. Only the
 * state flags change; `readAt`, `seenAt` and `archivedAt` stay as they were loaded.
 */
export function applyChange(message: Message, change: MessageChange): Message | undefined {
  switch (change) {
    case 'read':
      return message.isRead && message.isSeen ? message : { ...message, isRead: true, isSeen: true };
    case 'seen':
      return message.isSeen ? message : { ...message, isSeen: true };
    case 'unread':
      return message.isRead ? { ...message, isRead: false } : message;
    case 'archive':
    case 'delete':
      return undefined;
    case 'unarchive':
      return message;
  }
}

/** How `change` moves the counts when applied to `messages` (inbox messages, with their current states). */
export function deltaOf(messages: Iterable<Message>, change: MessageChange): CountsDelta {
  const delta = noDelta();
  for (const message of messages) {
    const type = String(message.typeID) as `${MessageTypeId}`;
    const unread = change === 'unread' ? (message.isRead ? 1 : 0) : change === 'read' || change === 'archive' || change === 'delete' ? (message.isRead ? 0 : -1) : 0;
    const unseen = change === 'seen' || change === 'read' || change === 'archive' || change === 'delete' ? (message.isSeen ? 0 : -1) : 0;
    delta.total += unread;
    delta.byType[type] += unread;
    delta.unseen += unseen;
  }
  return delta;
}

/** The delta that takes `counts` to none unread (`read`) or none unseen (`seen`): "mark all". */
export function clearingDelta(counts: InboxCounts, change: 'read' | 'seen'): CountsDelta {
  const delta = noDelta();
  delta.unseen = -counts.unseen;
  if (change === 'read') {
    delta.total = -counts.total;
    for (const type of ['1', '2', '3'] as const) delta.byType[type] = -counts.byType[type];
  }
  return delta;
}

/** `counts` moved by every delta, never below zero; the version stays that of `counts`. */
export function withDeltas(counts: InboxCounts, deltas: readonly CountsDelta[]): InboxCounts {
  if (deltas.length === 0) return counts;
  const sum = (pick: (delta: CountsDelta) => number, start: number) => Math.max(0, deltas.reduce((total, delta) => total + pick(delta), start));
  return Object.freeze({
    total: sum((d) => d.total, counts.total),
    byType: Object.freeze({
      '1': sum((d) => d.byType['1'], counts.byType['1']),
      '2': sum((d) => d.byType['2'], counts.byType['2']),
      '3': sum((d) => d.byType['3'], counts.byType['3']),
    }),
    unseen: sum((d) => d.unseen, counts.unseen),
    version: counts.version,
  });
}
