import { NEW_MESSAGE_STATE, newRecordId, type Message, type MessageTypeId } from '@notify/contracts';
import type { NotificationStore } from '@notify/store';

/** Who gets replayed at login: each of `users` has `unread` unread messages among the seed. */
export interface ReplaySeed {
  users: readonly { uid: string; companyID: string }[];
  unread: number;
}

const BATCH = 10_000;
/** Filler messages go to this many other users (half of them read). */
const FILLER_USERS = 100_000;
const FILLER_CONTENT = 'Seeded message for the replay benchmark: '.padEnd(80, '.');

/**
 * Writes messages straight into the store in batches (much faster than through the api): from
 * `from` stored messages up to `to`. The replay users' unread messages are spread evenly through
 * the first batch of `from = 0`; the rest is filler for 100,000 other users. Ids are ULIDs of
 * increasing (past) times, as the api would have assigned them.
 */
export class MessageSeeder {
  private seq = 0;
  private readonly baseTime = Date.now() - 30 * 24 * 3600 * 1000;

  constructor(
    private readonly store: NotificationStore,
    private readonly replay: ReplaySeed,
  ) {}

  /** How many messages it has stored so far. */
  get stored(): number {
    return this.seq;
  }

  async seedTo(to: number): Promise<void> {
    const replayTotal = this.replay.users.length * this.replay.unread;
    const replayEvery = this.seq === 0 && replayTotal > 0 ? Math.max(1, Math.floor(to / replayTotal)) : 0;
    let replayed = 0;
    while (this.seq < to) {
      const batch: Message[] = [];
      const end = Math.min(to, this.seq + BATCH);
      for (; this.seq < end; this.seq += 1) {
        const forReplay = replayEvery > 0 && replayed < replayTotal && this.seq % replayEvery === 0;
        batch.push(forReplay ? this.replayMessage(replayed++) : this.fillerMessage());
      }
      await this.store.insertMessages(batch);
    }
  }

  /**
   * Stores `perUser` unread messages for each of `users` and resolves with each user's oldest
   * message id: a page that held the oldest few catches up from there with all the others.
   */
  async seedCatchUp(users: readonly { uid: string; companyID: string }[], perUser: number): Promise<Map<string, string>> {
    const from = new Map<string, string>();
    for (const user of users) {
      const batch = Array.from({ length: perUser }, (_, n): Message => ({
        id: newRecordId(this.baseTime - 1000 + n),
        companyID: user.companyID,
        receiverID: user.uid,
        typeID: 1,
        title: `catch-up ${n}`,
        content: FILLER_CONTENT,
        date: new Date(this.baseTime).toISOString(),
        ...NEW_MESSAGE_STATE,
      }));
      await this.store.insertMessages(batch);
      from.set(user.uid, (batch[0] as Message).id);
    }
    return from;
  }

  /** A hundred messages per millisecond: ulid then increments the last id instead of drawing 16 random characters. */
  private time(): number {
    return this.baseTime + Math.floor(this.seq / 100);
  }

  private newId(): string {
    return newRecordId(this.time());
  }

  private replayMessage(n: number): Message {
    const user = this.replay.users[n % this.replay.users.length] as { uid: string; companyID: string };
    return {
      id: this.newId(),
      companyID: user.companyID,
      receiverID: user.uid,
      typeID: (1 + (n % 3)) as MessageTypeId,
      title: `unread ${n}`,
      content: FILLER_CONTENT,
      date: new Date(this.time()).toISOString(),
      ...NEW_MESSAGE_STATE,
    };
  }

  private fillerMessage(): Message {
    const n = this.seq;
    const read = n % 2 === 0;
    const date = new Date(this.time()).toISOString();
    return {
      id: this.newId(),
      companyID: `fc${n % 1000}`,
      receiverID: `f${Math.floor(n / 10) % FILLER_USERS}`,
      typeID: (1 + (n % 3)) as MessageTypeId,
      title: `seeded ${n}`,
      content: FILLER_CONTENT,
      date,
      ...NEW_MESSAGE_STATE,
      ...(read ? { isRead: true, readAt: date, isSeen: true, seenAt: date } : {}),
    };
  }
}
