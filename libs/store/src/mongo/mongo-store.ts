import { MongoClient } from 'mongodb';
import type { Collection, Db, OptionalUnlessRequiredId } from 'mongodb';
import type { Dynamic, Message, ReadSelector, UnreadCount } from '@notify/contracts';
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
import { fromMessageDocument, markReadSet, toMessageDocument } from './message-document.js';
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

  async insertMessages(messages: readonly Message[]): Promise<void> {
    await this.insertIdempotent(this.messages, messages.map(toMessageDocument), 'insertMessages');
  }

  async insertDynamics(dynamics: readonly Dynamic[]): Promise<void> {
    await this.insertIdempotent(this.dynamics, dynamics.map(toDynamicDocument), 'insertDynamics');
  }

  async listMessages(query: MessageQuery): Promise<Message[]> {
    const documents = await this.findPage(this.messages, mongoQueries.listMessages(query), 'listMessages');
    return documents.map(fromMessageDocument);
  }

  async unreadCount(receiverID: string, companyID?: string): Promise<UnreadCount> {
    const pipeline = mongoQueries.unreadCount(receiverID, companyID);
    const groups = await this.attempt('unreadCount', () =>
      this.messages.aggregate<{ _id: unknown; count: number }>(pipeline, { maxTimeMS: this.timeoutMs }).toArray(),
    );
    const byType: UnreadCount['byType'] = { '1': 0, '2': 0, '3': 0 };
    for (const { _id: typeID, count } of groups) {
      if (typeID === 1 || typeID === 2 || typeID === 3) byType[typeID] += count;
    }
    return { total: byType[1] + byType[2] + byType[3], byType };
  }

  async markRead(receiverID: string, selector: ReadSelector, readAt: string): Promise<number> {
    const filter = mongoQueries.markRead(receiverID, selector);
    const result = await this.attempt('markRead', () => this.messages.updateMany(filter, { $set: markReadSet(readAt) }));
    return result.modifiedCount;
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

  /** Unordered, so one already-stored id does not stop the others; duplicates are a retried job. */
  private async insertIdempotent<T extends MessageDocument | DynamicDocument>(
    collection: Collection<T>,
    documents: OptionalUnlessRequiredId<T>[],
    action: string,
  ): Promise<void> {
    if (documents.length === 0) return;
    try {
      await collection.insertMany(documents, { ordered: false });
    } catch (error) {
      if (isDuplicateKeyOnly(error)) return;
      throw mapMongoError(error, action);
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
