import { BusType, type Message, type UnreadCount } from '@notify/contracts';
import type { BusPublisher } from '@notify/bus';
import type { NotificationStore } from '@notify/store';

interface Waiting {
  message: Message;
  settle: (error?: unknown) => void;
}

/**
 * Stores and publishes the messages of every job that reaches this point in the same event-loop
 * turn together: one store write (one SQLite transaction), one unread count per receiver, and one
 * pipelined round of PUBLISH. Each job's promise settles only after its own message has been
 * stored and published, so "stored before published" and the retry semantics are those of a job
 * processed alone; a failed batch fails (and retries) every job in it.
 */
export class MessageBatcher {
  private waiting: Waiting[] = [];

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
    return new Promise((resolve, reject) => {
      if (this.waiting.length === 0) setImmediate(() => void this.flush());
      this.waiting.push({ message, settle: (error) => (error === undefined ? resolve() : reject(error)) });
    });
  }

  private async flush(): Promise<void> {
    const batch = this.waiting;
    this.waiting = [];
    try {
      const messages = batch.map((entry) => entry.message);
      await this.deps.store.insertMessages(messages);
      for (const message of messages) this.deps.onStored?.(message);
      const unread = await this.unreadCounts(messages);
      await this.deps.bus.publishAll(
        BusType.messageStored,
        messages.map((message) => ({ message, unread: unread.get(message.receiverID) as UnreadCount })),
      );
      for (const entry of batch) entry.settle();
    } catch (error) {
      for (const entry of batch) entry.settle(error ?? new Error('storing the batch failed'));
    }
  }

  /** Each receiver's unread count after the batch, read once per receiver. */
  private async unreadCounts(messages: readonly Message[]): Promise<Map<string, UnreadCount>> {
    const receivers = [...new Set(messages.map((message) => message.receiverID))];
    const counts = await Promise.all(receivers.map((receiverID) => this.deps.store.unreadCount(receiverID)));
    return new Map(receivers.map((receiverID, index) => [receiverID, counts[index] as UnreadCount]));
  }
}
