import { BusType, JobName, type Dynamic, type InboxCounts, type Message } from '@notify/contracts';
import type { BusPublisher } from '@notify/bus';
import type { Inbox } from '@notify/inbox';
import type { NotificationStore } from '@notify/store';
import { TurnBatcher } from '@notify/redis';

/**
 * Stores and publishes the records of every job that reaches this point in the same event-loop
 * turn together: per record type, one store write (one SQLite transaction) and one pipelined round
 * of PUBLISH, and for messages one versioned count per receiver. What is published is what the
 * store holds: a retried job's message that was read meanwhile goes out read, a deleted one not at all. Each job's promise settles only
 * after its own record has been stored and published, so "stored before published" and the retry
 * semantics are those of a job processed alone; a failed batch fails (and retries) every job in it.
 */
export class RecordBatcher {
  private readonly messages = new TurnBatcher<Message>((messages) => this.storeAndPublishMessages(messages));
  private readonly dynamics = new TurnBatcher<Dynamic>((dynamics) => this.storeAndPublishDynamics(dynamics));

  constructor(
    private readonly deps: {
      store: NotificationStore;
      bus: BusPublisher;
      inbox: Inbox;
      /** Called per record once it is stored, before it is published. */
      onStored?: (jobName: JobName, recordId: string) => void;
    },
  ) {}

  /** Resolves once `message` is stored and published. */
  submitMessage(message: Message): Promise<void> {
    return this.messages.submit(message);
  }

  /** Resolves once `dynamic` is stored and published. */
  submitDynamic(dynamic: Dynamic): Promise<void> {
    return this.dynamics.submit(dynamic);
  }

  private async storeAndPublishMessages(messages: Message[]): Promise<void> {
    const stored = await this.deps.store.insertMessages(messages);
    this.stored(JobName.message, messages);
    const unread = await this.countsAfterChange(stored);
    await this.deps.bus.publishAll(
      BusType.messageStored,
      stored.map((message) => ({ message, unread: unread.get(message.receiverID) as InboxCounts })),
    );
  }

  private async storeAndPublishDynamics(dynamics: Dynamic[]): Promise<void> {
    await this.deps.store.insertDynamics(dynamics);
    this.stored(JobName.dynamic, dynamics);
    await this.deps.bus.publishAll(BusType.dynamicStored, dynamics.map((dynamic) => ({ dynamic })));
  }

  private stored(jobName: JobName, records: readonly { id: string }[]): void {
    for (const record of records) this.deps.onStored?.(jobName, record.id);
  }

  /** Each receiver's counts after the batch, versioned, read once per receiver. */
  private async countsAfterChange(messages: readonly Message[]): Promise<Map<string, InboxCounts>> {
    const receivers = [...new Set(messages.map((message) => message.receiverID))];
    const counts = await Promise.all(receivers.map((receiverID) => this.deps.inbox.countsAfterChange(receiverID)));
    return new Map(receivers.map((receiverID, index) => [receiverID, counts[index] as InboxCounts]));
  }
}
