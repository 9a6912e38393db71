import {
  BusType,
  CHANGED_IDS_PER_EVENT,
  type InboxCounts,
  type MessageChange,
  type ReadSelector,
  type RecordId,
} from '@notify/contracts';
import type { BusPublisher } from '@notify/bus';
import type { NotificationStore } from '@notify/store';
import type { CountVersions } from './count-versions.js';

/** What an {@link Inbox} works with. */
export interface InboxDeps {
  store: NotificationStore;
  bus: BusPublisher;
  versions: CountVersions;
}

/**
 * A user's inbox as the api, the worker and the gateway change and count it: the one owner of
 * message states and versioned counts. Every change is stored first, then announced to every page
 * of the user on every gateway (a `msg_*` event with the ids that changed, and `unread_count`).
 */
export class Inbox {
  constructor(private readonly deps: InboxDeps) {}

  /**
   * Applies `change` to the messages of `uid` that `selector` names and tells every page of the
   * user. Resolves with how many messages changed.
   */
  async change(uid: string, change: MessageChange, selector: ReadSelector): Promise<number> {
    const ids = await this.deps.store.changeMessages(uid, change, selector, new Date().toISOString());
    if (ids.length === 0) return 0;
    const unread = await this.countsAfterChange(uid);
    await this.deps.bus.publishAll(
      BusType.messagesChanged,
      chunks(ids, CHANGED_IDS_PER_EVENT).map((chunk) => ({ uid, change, ids: chunk, unread })),
    );
    return ids.length;
  }

  /** The user's counts after a change that is already stored, with a new version. */
  async countsAfterChange(uid: string): Promise<InboxCounts> {
    const [counts] = await this.countsAfterChanges([uid]);
    return counts as InboxCounts;
  }

  /**
   * The counts of each of `uids` after a change of all of theirs that is already stored, each
   * with a new version, the versions taken in one round trip; in the order of `uids`.
   */
  async countsAfterChanges(uids: readonly string[]): Promise<InboxCounts[]> {
    const versions = await this.deps.versions.nextAll(uids);
    return Promise.all(uids.map(async (uid, index) => ({ ...(await this.deps.store.counts(uid)), version: versions[index] as number })));
  }

  /** The user's counts now (or within one company), with the current version. */
  async counts(uid: string, companyID?: string): Promise<InboxCounts> {
    // The version first: counts read after it are at least as new as it says.
    const version = await this.deps.versions.current(uid);
    return { ...(await this.deps.store.counts(uid, companyID)), version };
  }
}

function chunks(ids: readonly RecordId[], size: number): RecordId[][] {
  const result: RecordId[][] = [];
  for (let start = 0; start < ids.length; start += size) result.push(ids.slice(start, start + size));
  return result;
}
