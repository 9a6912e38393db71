import type { ConnectionStatus } from '../inbox-types.js';

/**
 * Every text `<notify-inbox>` shows of its own (English by default): set `element.labels` to some
 * of them to translate. `{n}` and `{name}` are replaced by a number and a sender's name.
 */
export interface InboxLabels {
  title: string;
  /** The bell's accessible name. */
  bell: string;
  markAllRead: string;
  markRead: string;
  markUnread: string;
  archive: string;
  delete: string;
  loadMore: string;
  loading: string;
  empty: string;
  activity: string;
  loadMoreActivity: string;
  online: string;
  unread: string;
  read: string;
  from: string;
  /** Whom an activity entry is for. */
  for: string;
  dismiss: string;
  /** Neither `token-url` nor `tokenProvider` is set. */
  noToken: string;
  /** Shown while the lists catch up after a reconnection. */
  syncing: string;
  status: Record<ConnectionStatus, string>;
  types: Record<'1' | '2' | '3', string>;
}

export const DEFAULT_LABELS: InboxLabels = Object.freeze({
  title: 'Notifications',
  bell: 'Notifications, {n} unread',
  markAllRead: 'Mark all read',
  markRead: 'Mark read',
  markUnread: 'Mark unread',
  archive: 'Archive',
  delete: 'Delete',
  loadMore: 'Load more',
  loading: 'Loading…',
  empty: 'No notifications',
  activity: 'Activity',
  loadMoreActivity: 'Load more activity',
  online: '{n} online',
  unread: 'Unread',
  read: 'Read',
  from: 'from {name}',
  for: 'for {name}',
  dismiss: 'Dismiss',
  noToken: 'No token: set token-url or tokenProvider',
  syncing: 'Updating…',
  status: Object.freeze({ connecting: 'Connecting…', connected: '', reconnecting: 'Reconnecting…', ended: 'Signed out', closed: 'Closed' }),
  types: Object.freeze({ '1': 'system', '2': 'admin', '3': 'operation' }),
});

/** `template` with `{key}` replaced by `values[key]` (as text). */
export const fill = (template: string, values: Record<string, string | number>) =>
  template.replace(/\{(\w+)\}/g, (whole, key: string) => (key in values ? String(values[key]) : whole));
