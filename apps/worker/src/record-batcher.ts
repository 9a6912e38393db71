import { BusType, type Dynamic, type InboxCounts, type Message } from '@notify/contracts';
import type { BusPublisher } from '@notify/bus';
import type { Inbox } from '@notify/inbox';
import type { NotificationStore } from '@notify/store';
import { TurnBatcher } from '@notify/redis';

/** The kind of a stored record, as the store-lag metric labels it (the name of its single-record job). */
export type RecordKind = 'message' | 'dynamic';

/**
 * Stores and publishes the records of every job that reaches this point in the same event-loop
 * turn together, a batch job's records and single-record jobs' alike: per record type, one store
 * write (one SQLite transaction) and one pipelined round of PUBLISH, and for messages one
 * versioned count per receiver. What is published is what the store holds: a retried job's
 * message that was read meanwhile goes out read, a deleted one not at all. Each job's promise
 * settles only after its own records have been stored and published, so "stored before published"
 * and the retry semantics are those of a job processed alone; a failed batch fails (and retries)
 * every job in it.
 */
export class RecordBatcher {
  private readonly messages = new TurnBatcher<readonly Message[]>((jobs) => this.storeAndPublishMessages(jobs.flat()));
  private readonly dynamics = new TurnBatcher<readonly Dynamic[]>((jobs) => this.storeAndPublishDynamics(jobs.flat()));

  constructor(
    private readonly deps: {
      store: NotificationStore;
      bus: BusPublisher;
      inbox: Inbox;
      /** Called per record once it is stored, before it is published. */
      onStored?: (kind: RecordKind, recordId: string) => void;
    },
  ) {}

  /** Resolves once `message` is stored and published. */
  submitMessage(message: Message): Promise<void> {
    return this.messages.submit([message]);
  }

  /** Resolves once `dynamic` is stored and published. */
  submitDynamic(dynamic: Dynamic): Promise<void> {
    return this.dynamics.submit([dynamic]);
  }

  /** Resolves once every record of one job is stored and published (at once for none). */
  async submitRecords(records: { messages: readonly Message[]; dynamics: readonly Dynamic[] }): Promise<void> {
    await Promise.all([
      records.messages.length > 0 ? this.messages.submit(records.messages) : undefined,
      records.dynamics.length > 0 ? this.dynamics.submit(records.dynamics) : undefined,
    ]);
  }

  private async storeAndPublishMessages(messages: Message[]): Promise<void> {
    const stored = await this.deps.store.insertMessages(messages);
    this.stored('message', messages);
    const unread = await this.countsAfterChange(stored);
    await this.deps.bus.publishAll(
      BusType.messageStored,
      stored.map((message) => ({ message, unread: unread.get(message.receiverID) as InboxCounts })),
    );
  }

  private async storeAndPublishDynamics(dynamics: Dynamic[]): Promise<void> {
    await this.deps.store.insertDynamics(dynamics);
    this.stored('dynamic', dynamics);
    await this.deps.bus.publishAll(BusType.dynamicStored, dynamics.map((dynamic) => ({ dynamic })));
  }

  private stored(kind: RecordKind, records: readonly { id: string }[]): void {
    for (const record of records) this.deps.onStored?.(kind, record.id);
  }

  /** Each receiver's counts after the batch, versioned, read once per receiver. */
  private async countsAfterChange(messages: readonly Message[]): Promise<Map<string, InboxCounts>> {
    const receivers = [...new Set(messages.map((message) => message.receiverID))];
    const counts = await this.deps.inbox.countsAfterChanges(receivers);
    return new Map(receivers.map((receiverID, index) => [receiverID, counts[index] as InboxCounts]));
  }
}
