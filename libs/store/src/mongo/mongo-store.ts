import { MongoBulkWriteError, MongoClient } from 'mongodb';
import type { Collection, Db, OptionalUnlessRequiredId } from 'mongodb';
import type { Dynamic, Message, MessageChange, ReadSelector, RecordId, StoredCounts } from '@notify/contracts';
import type {
  CompanyDynamicsQuery,
  MessageQuery,
  NotificationStore,
  ObjectLogQuery,
} from '../notification-store.js';
import { StoreUnavailableError } from '../store-errors.js';
import { fromDynamicDocument, toDynamicDocument } from './dynamic-document.js';
import type { DynamicDocument } from './dynamic-document.js';
import { ensureMongoCollections } from './ensure-mongo-collections.js';
import { CHANGE_APPLIES_TO, changeSet, fromMessageDocument, NOT_SET, toMessageDocument } from './message-document.js';
import type { MessageDocument, MessageState } from './message-document.js';
import { contributionOf, COUNTED_FIELDS, CounterDeltas, hourOf, InboxCounters, type CountedFields, type CounterDocument } from './inbox-counters.js';
import type { MessagesRetention } from './messages-retention.js';
import { mongoClientOptions } from './mongo-client-options.js';
import { COUNTERS_COLLECTION, DYNAMICS_COLLECTION, MESSAGES_COLLECTION } from './mongo-collection-specs.js';
import { isDuplicateKeyOnly, mapMongoError } from './mongo-error-mapping.js';
import { mongoQueries } from './mongo-queries.js';
import type { FindShape } from './mongo-queries.js';

export type { MessagesRetention } from './messages-retention.js';

/** Claim tokens are Dates from the year 3000 on, picked at random among about 10^12. */
const CLAIM_TOKENS_FROM = Date.UTC(3000, 0, 1);
const CLAIM_TOKENS = 2 ** 40;

/** How to reach MongoDB and how to bound the messages. */
export interface MongoStoreOptions {
  /** Connection string, `mongodb://…` or `mongodb+srv://…` (MONGO_URL). */
  url: string;
  /** Database that holds `messages` and `operation_log` (MONGO_DB, default `notify`). */
  dbName: string;
  /** Most connections this process opens to each server (MONGO_POOL_SIZE, default 20). */
  poolSize: number;
  /**
   * How long an operation may wait for a server, a connection or an answer before it fails with
   * StoreUnavailableError, in ms (MONGO_TIMEOUT_MS, default 2000). A silent socket is given up
   * after three times this.
   */
  timeoutMs: number;
  /** Capped collection or TTL index for messages (RETENTION and the MESSAGES_* variables). */
  retention: MessagesRetention;
}

/**
 * The NotificationStore on MongoDB: messages in a capped (or TTL) collection, dynamics in the
 * `operation_log` collection, record ids as `_id`.
 */
export class MongoStore implements NotificationStore {
  private readonly messages: Collection<MessageDocument>;
  private readonly dynamics: Collection<DynamicDocument>;
  private readonly counters: InboxCounters;

  private constructor(
    private readonly client: MongoClient,
    private readonly db: Db,
    private readonly timeoutMs: number,
    retention: MessagesRetention,
  ) {
    this.messages = db.collection<MessageDocument>(MESSAGES_COLLECTION);
    this.dynamics = db.collection<DynamicDocument>(DYNAMICS_COLLECTION);
    this.counters = new InboxCounters(this.messages, db.collection<CounterDocument>(COUNTERS_COLLECTION), retention, timeoutMs);
  }

  /**
   * Connects, creates the collections and indexes that are missing (idempotent, never drops
   * anything) and checks that an existing `messages` collection matches `retention`. Rejects with
   * StoreUnavailableError when MongoDB cannot be reached within `timeoutMs`, and with
   * StoreMismatchError when `messages` is shaped differently or the server cannot do `retention`.
   */
  static async open(options: MongoStoreOptions): Promise<MongoStore> {
    const client = new MongoClient(options.url, mongoClientOptions(options));
    try {
      await client.connect();
      const db = client.db(options.dbName);
      await ensureMongoCollections(db, options.retention);
      return new MongoStore(client, db, options.timeoutMs, options.retention);
    } catch (error) {
      // The open error says more than a failing close would.
      await client.close().catch(() => undefined);
      throw mapMongoError(error, `open of database ${options.dbName}`);
    }
  }

  async insertMessages(messages: readonly Message[]): Promise<Message[]> {
    const documents = messages.map(toMessageDocument);
    const repeated = await this.insertIdempotent(this.messages, documents, 'insertMessages');
    if (repeated.size === 0) {
      await this.count(documents);
      return [...messages];
    }
    // A retried job: what is stored now (read, archived…) is the truth, and a deleted one is gone.
    // An attempt that crashed between storing and counting left its messages uncounted: count them now.
    const stored = await this.attempt('insertMessages', () =>
      this.messages.find({ _id: { $in: [...repeated] } }, { maxTimeMS: this.timeoutMs }).toArray(),
    );
    const uncounted = new Set(stored.filter((document) => document.countClaim?.getTime() === NOT_SET.getTime()).map((document) => document._id));
    await this.count(documents.filter((document) => !repeated.has(document._id) || uncounted.has(document._id)));
    const current = new Map(stored.filter((document) => !document.isDeleted).map((document) => [document._id, fromMessageDocument(document)]));
    return messages.flatMap((message) => {
      const now = repeated.has(message.id) ? current.get(message.id) : message;
      return now ? [now] : [];
    });
  }

  async insertDynamics(dynamics: readonly Dynamic[]): Promise<void> {
    await this.insertIdempotent(this.dynamics, dynamics.map(toDynamicDocument), 'insertDynamics');
  }

  async listMessages(query: MessageQuery): Promise<Message[]> {
    const documents = await this.findPage(this.messages, mongoQueries.listMessages(query), 'listMessages');
    return documents.map(fromMessageDocument);
  }

  async counts(receiverID: string, companyID?: string): Promise<StoredCounts> {
    return this.attempt('counts', () => this.counters.counts(receiverID, companyID));
  }

  /**
   * Finds the messages the change would alter and updates them in groups that share a state and a
   * counter (hour, company, type), each update repeating that state as its condition. Every message
   * of a group moves the counters the same way, so the number an update modified is the exact
   * delta of its counter, even when a concurrent change altered some of them first (without
   * multi-document transactions, that is what makes the counters exact).
   */
  async changeMessages(receiverID: string, change: MessageChange, selector: ReadSelector, at: string): Promise<RecordId[]> {
    const filter = { ...mongoQueries.selected(receiverID, selector), ...CHANGE_APPLIES_TO[change] };
    const found = await this.attempt('changeMessages', () =>
      this.messages.find<CountedFields>(filter, { projection: COUNTED_FIELDS, sort: { _id: 1 }, maxTimeMS: this.timeoutMs }).toArray(),
    );
    if (found.length === 0) return [];
    const groups = new Map<string, CountedFields[]>();
    for (const document of found) {
      const key = `${document.isRead}|${document.isSeen}|${document.isArchived}|${hourOf(document._id)}|${document.companyID}|${document.typeID}`;
      groups.set(key, [...(groups.get(key) ?? []), document]);
    }
    const deltas = new CounterDeltas();
    await Promise.all(
      [...groups.values()].map(async (group) => {
        const first = group[0] as CountedFields;
        const { isRead, isSeen, isArchived } = first;
        const set = changeSet(change, at, first);
        const result = await this.attempt('changeMessages', () =>
          this.messages.updateMany({ _id: { $in: group.map((document) => document._id) }, receiverID, isDeleted: false, isRead, isSeen, isArchived }, { $set: set }),
        );
        const after = { ...first, ...set } as MessageState;
        deltas.add(first, contributionOf(first), -1, result.modifiedCount);
        deltas.add(first, contributionOf(after), 1, result.modifiedCount);
      }),
    );
    await this.attempt('changeMessages', () => this.counters.apply(deltas));
    return found.map((document) => document._id);
  }

  async listCompanyDynamics(query: CompanyDynamicsQuery): Promise<Dynamic[]> {
    const documents = await this.findPage(this.dynamics, mongoQueries.companyDynamics(query), 'listCompanyDynamics');
    return documents.map(fromDynamicDocument);
  }

  async listObjectLogs(query: ObjectLogQuery): Promise<Dynamic[]> {
    const documents = await this.findPage(this.dynamics, mongoQueries.objectLogs(query), 'listObjectLogs');
    return documents.map(fromDynamicDocument);
  }

  async ping(): Promise<void> {
    try {
      // The signal bounds the whole ping, including waiting on a socket that went silent.
      await this.db.command({ ping: 1 }, { signal: AbortSignal.timeout(this.timeoutMs) });
    } catch (error) {
      const reason = error instanceof Error ? error.message : String(error);
      throw new StoreUnavailableError(`MongoDB ping failed: ${reason}`, { cause: error });
    }
  }

  async close(): Promise<void> {
    await this.client.close();
  }

  /**
   * Adds newly stored messages to the counters exactly once: claims the ones nobody claimed yet with
   * a token of this attempt's, and counts those that carry it.
   */
  private async count(documents: readonly MessageDocument[]): Promise<void> {
    // The same id twice in a batch is stored once (the first).
    const unique = [...new Map(documents.map((document) => [document._id, document] as const).reverse()).values()];
    if (unique.length === 0) return;
    const ids = unique.map((document) => document._id);
    await this.attempt('insertMessages', () => this.counters.recordFirst(ids));
    const token = new Date(CLAIM_TOKENS_FROM + Math.floor(Math.random() * CLAIM_TOKENS));
    const claim = await this.attempt('insertMessages', () =>
      this.messages.updateMany({ _id: { $in: ids }, countClaim: NOT_SET }, { $set: { countClaim: token } }),
    );
    let claimed: readonly MessageDocument[] = unique;
    if (claim.modifiedCount !== unique.length) {
      // Another attempt at the same messages claimed some first: count only the ones with our token.
      const mine = await this.attempt('insertMessages', () =>
        this.messages.find({ _id: { $in: ids }, countClaim: token }, { projection: { _id: 1 }, maxTimeMS: this.timeoutMs }).toArray(),
      );
      const ours = new Set(mine.map((document) => document._id));
      claimed = unique.filter((document) => ours.has(document._id));
    }
    const deltas = new CounterDeltas();
    for (const document of claimed) deltas.add(document, contributionOf(document), 1);
    await this.attempt('insertMessages', () => this.counters.apply(deltas));
  }

  /**
   * Unordered, so one already-stored id does not stop the others; duplicates are a retried job.
   * Resolves with the ids that were already stored.
   */
  private async insertIdempotent<T extends MessageDocument | DynamicDocument>(
    collection: Collection<T>,
    documents: OptionalUnlessRequiredId<T>[],
    action: string,
  ): Promise<Set<string>> {
    if (documents.length === 0) return new Set();
    try {
      await collection.insertMany(documents, { ordered: false });
      return new Set();
    } catch (error) {
      if (!isDuplicateKeyOnly(error)) throw mapMongoError(error, action);
      const writeErrors = error instanceof MongoBulkWriteError ? [error.writeErrors].flat() : [];
      // A single-document insert reports its duplicate as a plain server error.
      if (writeErrors.length === 0) return new Set(documents.map((document) => String(document._id)));
      return new Set(writeErrors.map((writeError) => String(documents[writeError.index]?._id)));
    }
  }

  private async findPage<T extends MessageDocument | DynamicDocument>(
    collection: Collection<T>,
    { filter, sort, limit, hint }: FindShape<T>,
    action: string,
  ): Promise<T[]> {
    // For MongoDB limit 0 means "no limit"; for a caller (REPLAY_LIMIT=0) it means none.
    if (limit <= 0) return [];
    const documents = await this.attempt(action, () =>
      collection.find(filter, { sort, limit, hint, maxTimeMS: this.timeoutMs }).toArray(),
    );
    return documents as T[];
  }

  private async attempt<R>(action: string, operation: () => Promise<R>): Promise<R> {
    try {
      return await operation();
    } catch (error) {
      throw mapMongoError(error, action);
    }
  }
}
