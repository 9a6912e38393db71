import { MongoBulkWriteError, MongoClient } from 'mongodb';
import type { Collection, Db, OptionalUnlessRequiredId } from 'mongodb';
import { NO_COUNTS } from '@notify/contracts';
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
import { changeUpdates, fromMessageDocument, toMessageDocument } from './message-document.js';
import type { MessageDocument } from './message-document.js';
import type { MessagesRetention } from './messages-retention.js';
import { mongoClientOptions } from './mongo-client-options.js';
import { DYNAMICS_COLLECTION, MESSAGES_COLLECTION } from './mongo-collection-specs.js';
import { isDuplicateKeyOnly, mapMongoError } from './mongo-error-mapping.js';
import { mongoQueries } from './mongo-queries.js';
import type { FindShape } from './mongo-queries.js';

export type { MessagesRetention } from './messages-retention.js';

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

  private constructor(
    private readonly client: MongoClient,
    private readonly db: Db,
    private readonly timeoutMs: number,
  ) {
    this.messages = db.collection<MessageDocument>(MESSAGES_COLLECTION);
    this.dynamics = db.collection<DynamicDocument>(DYNAMICS_COLLECTION);
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
      return new MongoStore(client, db, options.timeoutMs);
    } catch (error) {
      // The open error says more than a failing close would.
      await client.close().catch(() => undefined);
      throw mapMongoError(error, `open of database ${options.dbName}`);
    }
  }

  async insertMessages(messages: readonly Message[]): Promise<Message[]> {
    const repeated = await this.insertIdempotent(this.messages, messages.map(toMessageDocument), 'insertMessages');
    if (repeated.size === 0) return [...messages];
    // A retried job: what is stored now (read, archived…) is the truth, and a deleted one is gone.
    const stored = await this.attempt('insertMessages', () =>
      this.messages.find({ _id: { $in: [...repeated] }, isDeleted: false }, { maxTimeMS: this.timeoutMs }).toArray(),
    );
    const current = new Map(stored.map((document) => [document._id, fromMessageDocument(document)]));
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
    const pipeline = mongoQueries.counts(receiverID, companyID);
    type Group = { _id: { typeID: unknown; isRead: boolean; isSeen: boolean }; count: number };
    const groups = await this.attempt('counts', () => this.messages.aggregate<Group>(pipeline, { maxTimeMS: this.timeoutMs }).toArray());
    const counts = { ...NO_COUNTS, byType: { ...NO_COUNTS.byType } };
    for (const { _id: group, count } of groups) {
      const { typeID } = group;
      if (typeID !== 1 && typeID !== 2 && typeID !== 3) continue;
      if (!group.isRead) {
        counts.byType[typeID] += count;
        counts.total += count;
      }
      if (!group.isSeen) counts.unseen += count;
    }
    return counts;
  }

  /**
   * Finds the messages the change would alter, then updates exactly those (each update repeats the
   * condition, so a concurrent change is not applied twice). Without multi-document transactions
   * two concurrent identical changes may both report an id; pages apply a change idempotently.
   */
  async changeMessages(receiverID: string, change: MessageChange, selector: ReadSelector, at: string): Promise<RecordId[]> {
    const updates = changeUpdates(change, at);
    const selected = mongoQueries.selected(receiverID, selector);
    const decisive = updates.at(-1)?.unless ?? {};
    const found = await this.attempt('changeMessages', () =>
      this.messages.find({ ...selected, ...decisive }, { projection: { _id: 1 }, sort: { _id: 1 }, maxTimeMS: this.timeoutMs }).toArray(),
    );
    const ids = found.map((document) => document._id);
    if (ids.length === 0) return [];
    for (const { unless, set } of updates) {
      await this.attempt('changeMessages', () =>
        this.messages.updateMany({ _id: { $in: ids }, receiverID, isDeleted: false, ...unless }, { $set: set }),
      );
    }
    return ids;
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
