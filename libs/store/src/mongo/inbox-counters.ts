import type { AnyBulkWriteOperation, Collection, Filter } from 'mongodb';
import { firstRecordIdAt, NO_COUNTS, recordIdTime, type MessageTypeId, type StoredCounts } from '@notify/contracts';
import type { MessageDocument } from './message-document.js';
import type { MessagesRetention } from './messages-retention.js';
import { mongoQueries } from './mongo-queries.js';

/** Counters are kept per receiver, company, type and hour of acceptance. */
export const COUNTER_HOUR_MS = 3_600_000;
/** How long the id of the oldest stored message is reused before it is read again. */
const OLDEST_TTL_MS = 1000;

/** One counter: a receiver's unread and unseen messages of one company and type, accepted in one hour. */
export interface CounterDocument {
  /** `<receiverID>|<hour, 10 digits>|<companyID>|<typeID>`: one user's counters are one `_id` range. */
  _id: string;
  receiverID: string;
  companyID: string;
  typeID: MessageTypeId;
  hour: number;
  unread: number;
  unseen: number;
}

/** What a message adds to the counts, by its state. */
export interface Contribution {
  unread: number;
  unseen: number;
}

/** The fields a message's contribution and counter depend on. */
export type CountedFields = Pick<MessageDocument, '_id' | 'receiverID' | 'companyID' | 'typeID' | 'isRead' | 'isSeen' | 'isArchived' | 'isDeleted'>;

/** A message counts as unread (unseen) while it is unread (unseen), not archived and not deleted. */
export function contributionOf(state: Pick<MessageDocument, 'isRead' | 'isSeen' | 'isArchived' | 'isDeleted'>): Contribution {
  const inInbox = !state.isArchived && !state.isDeleted;
  return { unread: inInbox && !state.isRead ? 1 : 0, unseen: inInbox && !state.isSeen ? 1 : 0 };
}

/** The hour a record id was accepted in. */
export function hourOf(id: string): number {
  return Math.floor((recordIdTime(id) ?? 0) / COUNTER_HOUR_MS);
}

/** The fields of a message its counter and contribution depend on, as a projection. */
export const COUNTED_FIELDS = { _id: 1, receiverID: 1, companyID: 1, typeID: 1, isRead: 1, isSeen: 1, isArchived: 1, isDeleted: 1 } as const;

/**
 * One user's counters: an `_id` range. Receiver ids never hold `|` or `~` (identifiers are
 * A-Z a-z 0-9 _ . : @ -), and `~` sorts after every digit.
 */
export function counterQuery(receiverID: string): Filter<CounterDocument> {
  return { _id: { $gte: `${receiverID}|`, $lt: `${receiverID}|~` } };
}
const counterId = (receiverID: string, hour: number, companyID: string, typeID: number) =>
  `${receiverID}|${String(hour).padStart(10, '0')}|${companyID}|${typeID}`;

/** Changes to add to the counters, summed per counter. */
export class CounterDeltas {
  private readonly byCounter = new Map<string, CounterDocument>();

  /** Adds `sign` × the contribution of `message` in `state` to its counter. */
  add(message: Pick<CountedFields, '_id' | 'receiverID' | 'companyID' | 'typeID'>, state: Contribution, sign: 1 | -1): void {
    if (state.unread === 0 && state.unseen === 0) return;
    const hour = hourOf(message._id);
    const id = counterId(message.receiverID, hour, message.companyID, message.typeID);
    const counter = this.byCounter.get(id) ?? { _id: id, receiverID: message.receiverID, companyID: message.companyID, typeID: message.typeID, hour, unread: 0, unseen: 0 };
    counter.unread += sign * state.unread;
    counter.unseen += sign * state.unseen;
    this.byCounter.set(id, counter);
  }

  /** Upserts that apply the changes (nothing for a counter whose changes cancel out). */
  operations(): AnyBulkWriteOperation<CounterDocument>[] {
    return [...this.byCounter.values()]
      .filter((counter) => counter.unread !== 0 || counter.unseen !== 0)
      .map(({ _id, receiverID, companyID, typeID, hour, unread, unseen }) => ({
        updateOne: {
          filter: { _id },
          update: { $inc: { unread, unseen }, $setOnInsert: { receiverID, companyID, typeID, hour } },
          upsert: true,
        },
      }));
  }
}

/**
 * A user's counts from counters kept per hour of acceptance, so that reading them costs the number
 * of hours the user has unread or unseen messages in, not the number of those messages.
 *
 * Retention drops messages without telling anyone (a capped collection overwrites its oldest, the
 * TTL monitor deletes them), so a counter could go on counting messages that are gone. It cannot
 * here: messages are dropped oldest first, so counters of hours before the oldest stored message
 * count nothing any more and are skipped, and once retention has started dropping, the hour of the
 * oldest stored message, partly dropped, is counted from the messages themselves (at most one hour
 * of the user's messages).
 */
export class InboxCounters {
  /** The last reading of the retention bounds (or the one under way), shared by concurrent counts. */
  private bounds: { reading: Promise<{ oldest: string | null; dropped: boolean }>; readAt: number } | undefined;
  private firstRecorded = false;

  constructor(
    private readonly messages: Collection<MessageDocument>,
    private readonly counters: Collection<CounterDocument>,
    private readonly retention: MessagesRetention,
    private readonly timeoutMs: number,
  ) {}

  /**
   * Remembers the lowest id ever stored, once per process: a capped collection has dropped messages
   * once its oldest stored message is newer than that.
   */
  async recordFirst(ids: readonly string[]): Promise<void> {
    if (this.firstRecorded || ids.length === 0) return;
    const lowest = ids.reduce((low, id) => (id < low ? id : low));
    await this.counters.updateOne({ _id: FIRST_STORED } as Filter<CounterDocument>, { $min: { firstId: lowest } }, { upsert: true });
    this.firstRecorded = true;
  }

  /** Applies changes to the counters in one round trip. */
  async apply(deltas: CounterDeltas): Promise<void> {
    const operations = deltas.operations();
    if (operations.length > 0) await this.counters.bulkWrite(operations, { ordered: false });
  }

  /** The user's counts, optionally within one company. */
  async counts(receiverID: string, companyID?: string): Promise<StoredCounts> {
    const [{ oldest, dropped }, counters] = await Promise.all([
      this.retentionBounds(),
      this.counters.find(counterQuery(receiverID), { maxTimeMS: this.timeoutMs }).toArray(),
    ]);
    const counts = { ...NO_COUNTS, byType: { ...NO_COUNTS.byType } };
    const add = (typeID: MessageTypeId, contribution: Contribution) => {
      counts.byType[typeID] += contribution.unread;
      counts.total += contribution.unread;
      counts.unseen += contribution.unseen;
    };
    const oldestHour = oldest === null ? Number.NEGATIVE_INFINITY : hourOf(oldest);
    let partlyDropped = false;
    const stale: string[] = [];
    for (const counter of counters) {
      if (counter.hour < oldestHour) stale.push(counter._id);
      else if (counter.hour === oldestHour && dropped) partlyDropped = true;
      else if (companyID === undefined || counter.companyID === companyID) add(counter.typeID, counter);
    }
    if (partlyDropped && oldest !== null) {
      for (const message of await this.inboxMessages(receiverID, companyID, oldest, firstRecordIdAt((oldestHour + 1) * COUNTER_HOUR_MS))) {
        add(message.typeID, contributionOf(message));
      }
    }
    // Counters of hours retention has dropped count nothing: remove them (best effort) so reads stay small.
    if (stale.length > 0) void this.counters.deleteMany({ _id: { $in: stale } }).catch(() => undefined);
    return counts;
  }

  /**
   * Sets the user's counters of `hours` to what the messages say now: after a change that raced
   * another one (so the deltas are unknown), and for messages of earlier versions.
   */
  async recount(receiverID: string, hours: readonly number[]): Promise<void> {
    for (const hour of new Set(hours)) {
      const deltas = new CounterDeltas();
      for (const message of await this.inboxMessages(receiverID, undefined, firstRecordIdAt(hour * COUNTER_HOUR_MS), firstRecordIdAt((hour + 1) * COUNTER_HOUR_MS))) {
        deltas.add(message, contributionOf(message), 1);
      }
      await this.counters.deleteMany({ _id: { $gte: `${receiverID}|${String(hour).padStart(10, '0')}|`, $lt: `${receiverID}|${String(hour).padStart(10, '0')}|~` } });
      await this.apply(deltas);
    }
  }

  /** The user's counted messages (unread or unseen, in the inbox) with ids in [from, to). */
  private inboxMessages(receiverID: string, companyID: string | undefined, from: string, to: string) {
    const filter = mongoQueries.countedMessages(receiverID, from, to, companyID);
    return this.messages.find<CountedFields>(filter, { projection: COUNTED_FIELDS, maxTimeMS: this.timeoutMs }).toArray();
  }

  /**
   * The id of the oldest stored message (null when there is none) and whether retention has
   * dropped messages of its hour, read at most once a second.
   */
  private retentionBounds(): Promise<{ oldest: string | null; dropped: boolean }> {
    const now = Date.now();
    if (!this.bounds || now - this.bounds.readAt >= OLDEST_TTL_MS) {
      const reading = this.readRetentionBounds(now);
      // A failed reading is not kept: the next count tries again.
      reading.catch(() => {
        if (this.bounds?.reading === reading) this.bounds = undefined;
      });
      this.bounds = { reading, readAt: now };
    }
    return this.bounds.reading;
  }

  private async readRetentionBounds(now: number): Promise<{ oldest: string | null; dropped: boolean }> {
    const [[first], marker] = await Promise.all([
      this.messages.find({}, { projection: { _id: 1 }, sort: { _id: 1 }, limit: 1, maxTimeMS: this.timeoutMs }).toArray(),
      this.counters.findOne({ _id: FIRST_STORED } as Filter<CounterDocument>, { maxTimeMS: this.timeoutMs }) as Promise<{ firstId?: string } | null>,
    ]);
    const oldest = first?._id ?? null;
    if (oldest === null) return { oldest, dropped: false };
    const dropped =
      this.retention.kind === 'ttl'
        ? hourOf(oldest) * COUNTER_HOUR_MS < now - this.retention.ttlDays * 24 * COUNTER_HOUR_MS
        : marker?.firstId !== undefined && oldest > marker.firstId;
    return { oldest, dropped };
  }
}

/** The counters collection's marker that the messages stored before it existed have been counted. */
const EARLIER_COUNTED = '~earlier-messages-counted';
/** The counters collection's record of the lowest message id ever stored (`firstId`). */
const FIRST_STORED = '~first-stored';

/**
 * Counts the messages stored before the counters existed (they have no `countClaim` field), once
 * per database: the first process to insert the marker does it. Runs at start-up.
 */
export async function countEarlierMessages(messages: Collection<MessageDocument>, counters: Collection<CounterDocument>): Promise<void> {
  const marker = { _id: EARLIER_COUNTED } as unknown as CounterDocument; // a marker, not a counter: outside every user's range
  const first = await counters.insertOne(marker).then(
    () => true,
    (error: unknown) => {
      if ((error as { code?: unknown }).code === 11000) return false;
      throw error;
    },
  );
  if (!first) return;
  if ((await messages.countDocuments({ countClaim: { $exists: false } }, { limit: 1 })) === 0) return;
  // Whether retention dropped any of an earlier version's messages is unknown: assume it did.
  await counters.updateOne({ _id: FIRST_STORED } as Filter<CounterDocument>, { $min: { firstId: '' } }, { upsert: true });
  const earlier = { countClaim: { $exists: false }, isDeleted: false, isArchived: false, $or: [{ isRead: false }, { isSeen: false }] };
  let deltas = new CounterDeltas();
  let pending = 0;
  for await (const message of messages.find<CountedFields>(earlier, { projection: COUNTED_FIELDS })) {
    deltas.add(message, contributionOf(message), 1);
    if (++pending < 10_000) continue;
    await counters.bulkWrite(deltas.operations(), { ordered: false });
    deltas = new CounterDeltas();
    pending = 0;
  }
  const rest = deltas.operations();
  if (rest.length > 0) await counters.bulkWrite(rest, { ordered: false });
}
