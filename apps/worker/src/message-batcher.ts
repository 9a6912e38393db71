import { BusType, type Message, type UnreadCount } from '@notify/contracts';
import type { BusPublisher } from '@notify/bus';
import type { NotificationStore } from '@notify/store';
import { TurnBatcher } from '@notify/redis';

/**
 * Stores and publishes the messages of every job that reaches this point in the same event-loop
 * turn together: one store write (one SQLite transaction), one unread count per receiver, and one
 * pipelined round of PUBLISH. Each job's promise settles only after its own message has been
 * stored and published, so "stored before published" and the retry semantics are those of a job
 * processed alone; a failed batch fails (and retries) every job in it.
 */
export class MessageBatcher {
  private readonly batcher = new TurnBatcher<Message>((messages) => this.storeAndPublish(messages));

  constructor(
    private readonly deps: {
      store: NotificationStore;
      bus: BusPublisher;
      /** Called per message once it is stored, before it is published. */
      onStored?: (message: Message) => void;
    },
  ) {}

  /** Resolves once `message` is stored and published. */
  submit(message: Message): Promise<void> {
    return this.batcher.submit(message);
  }

  private async storeAndPublish(messages: Message[]): Promise<void> {
    await this.deps.store.insertMessages(messages);
    for (const message of messages) this.deps.onStored?.(message);
    const unread = await this.unreadCounts(messages);
    await this.deps.bus.publishAll(
      BusType.messageStored,
      messages.map((message) => ({ message, unread: unread.get(message.receiverID) as UnreadCount })),
    );
  }

  /** Each receiver's unread count after the batch, read once per receiver. */
  private async unreadCounts(messages: readonly Message[]): Promise<Map<string, UnreadCount>> {
    const receivers = [...new Set(messages.map((message) => message.receiverID))];
    const counts = await Promise.all(receivers.map((receiverID) => this.deps.store.unreadCount(receiverID)));
    return new Map(receivers.map((receiverID, index) => [receiverID, counts[index] as UnreadCount]));
  }
}
