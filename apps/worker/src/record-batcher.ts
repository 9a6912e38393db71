import { BusType, JobName, type Dynamic, type Message, type UnreadCount } from '@notify/contracts';
import type { BusPublisher } from '@notify/bus';
import type { NotificationStore } from '@notify/store';
import { TurnBatcher } from '@notify/redis';

/**
 * Stores and publishes the records of every job that reaches this point in the same event-loop
 * turn together: per record type, one store write (one SQLite transaction) and one pipelined round
 * of PUBLISH, and for messages one unread count per receiver. Each job's promise settles only
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
    await this.deps.store.insertMessages(messages);
    this.stored(JobName.message, messages);
    const unread = await this.unreadCounts(messages);
    await this.deps.bus.publishAll(
      BusType.messageStored,
      messages.map((message) => ({ message, unread: unread.get(message.receiverID) as UnreadCount })),
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

  /** Each receiver's unread count after the batch, read once per receiver. */
  private async unreadCounts(messages: readonly Message[]): Promise<Map<string, UnreadCount>> {
    const receivers = [...new Set(messages.map((message) => message.receiverID))];
    const counts = await Promise.all(receivers.map((receiverID) => this.deps.store.unreadCount(receiverID)));
    return new Map(receivers.map((receiverID, index) => [receiverID, counts[index] as UnreadCount]));
  }
}
