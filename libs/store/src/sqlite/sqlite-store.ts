import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import Database from 'better-sqlite3';
import { NO_COUNTS, type Dynamic, type Message, type MessageChange, type MessageTypeId, type ReadSelector, type RecordId, type StoredCounts } from '@notify/contracts';
import type { CompanyDynamicsQuery, MessageQuery, NotificationStore, ObjectLogQuery } from '../notification-store.js';
import { StoreUnavailableError } from '../store-errors.js';
import { DYNAMIC_COLUMNS, dynamicToRow, rowToDynamic, type DynamicRow } from './dynamic-row.js';
import { MESSAGE_COLUMNS, messageToRow, rowToMessage, type MessageRow } from './message-row.js';
import { sqliteQueries, type SqlQuery, type SqlValue } from './sqlite-queries.js';
import { applySqliteSchema } from './sqlite-schema.js';
import { toStoreError } from './to-store-error.js';

/** Options of {@link SqliteStore.open}. */
export interface SqliteStoreOptions {
  /** The database file; its directory is created when missing. */
  path: string;
  /** How many messages are kept (at least 1); beyond it the oldest inserted are deleted. */
  messagesCapRows: number;
  /**
   * How long a write waits for another process's lock before failing. Default 5000 ms. It waits
   * without holding up the event loop: each attempt blocks at most {@link BUSY_SLICE_MS}.
   */
  busyTimeoutMs?: number;
}

const DEFAULT_BUSY_TIMEOUT_MS = 5000;
/**
 * SQLite's own `busy_timeout`: how long one attempt may wait, synchronously, for another
 * process's lock. better-sqlite3 is synchronous, so a longer wait freezes every socket of a
 * gateway that marks a message read while the worker holds a write transaction.
 */
const BUSY_SLICE_MS = 5;
/** The longest pause between two attempts at a busy write, in ms. */
const BUSY_BACKOFF_MAX_MS = 20;

const isBusy = (error: unknown) =>
  error instanceof StoreUnavailableError && /^SQLITE_BUSY/.test(String((error.cause as { code?: unknown } | undefined)?.code));
const pause = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

function insertSql(table: string, columns: readonly string[]): string {
  return `INSERT OR IGNORE INTO ${table} (${columns.join(', ')}) VALUES (${columns.map((c) => `@${c}`).join(', ')})`;
}

/**
 * The {@link NotificationStore} in one SQLite file (WAL), which the api, worker and gateway
 * processes open at the same time. Messages are capped by row count, oldest inserted first.
 */
export class SqliteStore implements NotificationStore {
  private readonly statements = new Map<string, Database.Statement<SqlValue[]>>();
  private readonly insertMessageRows: (rows: readonly MessageRow[]) => Message[];
  private readonly insertDynamicRows: (rows: readonly DynamicRow[]) => void;

  private constructor(
    private readonly db: Database.Database,
    messagesCapRows: number,
    private readonly busyTimeoutMs: number,
  ) {
    const insertMessage = db.prepare<MessageRow>(insertSql('messages', MESSAGE_COLUMNS));
    const insertDynamic = db.prepare<DynamicRow>(insertSql('dynamics', DYNAMIC_COLUMNS));
    // seq has no gaps (see sqliteSchema), so this keeps exactly the newest cap rows; it runs in
    // the writer's transaction, so it holds whichever process inserts.
    const dropOldest = db.prepare<[number]>('DELETE FROM messages WHERE seq <= (SELECT MAX(seq) FROM messages) - ?');
    const messagesTx = db.transaction((rows: readonly MessageRow[]): Message[] => {
      const alreadyStored = rows.filter((row) => insertMessage.run(row).changes === 0).map((row) => row.id);
      dropOldest.run(messagesCapRows);
      if (alreadyStored.length === 0) return rows.map(rowToMessage);
      // A retried job: what is stored now (read, archived…) is the truth, and a deleted one is gone.
      const stored = new Map(this.all<MessageRow>(sqliteQueries.storedMessages(alreadyStored)).map((row) => [row.id, row]));
      const repeated = new Set(alreadyStored);
      return rows.flatMap((row) => {
        const current = repeated.has(row.id) ? stored.get(row.id) : row;
        return current ? [rowToMessage(current)] : [];
      });
    });
    const dynamicsTx = db.transaction((rows: readonly DynamicRow[]) => {
      for (const row of rows) insertDynamic.run(row);
    });
    // IMMEDIATE takes the write lock up front: a deferred transaction that later upgrades can
    // fail with SQLITE_BUSY at once instead of waiting busy_timeout for another process.
    this.insertMessageRows = (rows) => messagesTx.immediate(rows);
    this.insertDynamicRows = (rows) => dynamicsTx.immediate(rows);
  }

  /** Opens (creating when missing) the database file, its tables and indexes. */
  static async open(options: SqliteStoreOptions): Promise<SqliteStore> {
    const { path, messagesCapRows, busyTimeoutMs = DEFAULT_BUSY_TIMEOUT_MS } = options;
    if (!Number.isInteger(messagesCapRows) || messagesCapRows < 1) {
      throw new RangeError(`messagesCapRows must be an integer >= 1, got ${messagesCapRows}`);
    }
    let db: Database.Database | undefined;
    try {
      if (path !== ':memory:') mkdirSync(dirname(path), { recursive: true });
      const opened = new Database(path);
      db = opened;
      const wait = Math.max(0, Math.trunc(busyTimeoutMs));
      // Opening waits its whole time inside SQLite: processes starting together take turns at the
      // schema, and nothing else runs on this event loop yet.
      opened.pragma(`busy_timeout = ${wait}`);
      opened.pragma('journal_mode = WAL');
      opened.pragma('synchronous = NORMAL');
      applySqliteSchema(opened);
      opened.pragma(`busy_timeout = ${Math.min(BUSY_SLICE_MS, wait)}`);
      return new SqliteStore(opened, messagesCapRows, busyTimeoutMs);
    } catch (error) {
      db?.close();
      throw toStoreError(error);
    }
  }

  insertMessages(messages: readonly Message[]): Promise<Message[]> {
    return this.write(() => (messages.length > 0 ? this.insertMessageRows(messages.map(messageToRow)) : []));
  }

  insertDynamics(dynamics: readonly Dynamic[]): Promise<void> {
    return this.write(() => {
      if (dynamics.length > 0) this.insertDynamicRows(dynamics.map(dynamicToRow));
    });
  }

  listMessages(query: MessageQuery): Promise<Message[]> {
    return this.guard(() => this.all<MessageRow>(sqliteQueries.listMessages(query)).map(rowToMessage));
  }

  counts(receiverID: string, companyID?: string): Promise<StoredCounts> {
    return this.guard(() => {
      const rows = this.all<{ typeID: MessageTypeId; unread: number; unseen: number }>(sqliteQueries.counts(receiverID, companyID));
      const counts = { ...NO_COUNTS, byType: { ...NO_COUNTS.byType } };
      for (const { typeID, unread, unseen } of rows) {
        counts.byType[`${typeID}`] = unread;
        counts.total += unread;
        counts.unseen += unseen;
      }
      return counts;
    });
  }

  changeMessages(receiverID: string, change: MessageChange, selector: ReadSelector, at: string): Promise<RecordId[]> {
    return this.write(() => {
      const changed = this.all<{ id: RecordId }>(sqliteQueries.changeMessages(receiverID, change, selector, at));
      return changed.map((row) => row.id).sort();
    });
  }

  listCompanyDynamics(query: CompanyDynamicsQuery): Promise<Dynamic[]> {
    return this.guard(() => this.all<DynamicRow>(sqliteQueries.listCompanyDynamics(query)).map(rowToDynamic));
  }

  listObjectLogs(query: ObjectLogQuery): Promise<Dynamic[]> {
    return this.guard(() => this.all<DynamicRow>(sqliteQueries.listObjectLogs(query)).map(rowToDynamic));
  }

  ping(): Promise<void> {
    // Reads the schema page, so a file that went missing or unreadable fails here too.
    return this.guard(() => void this.statement('SELECT 1 FROM sqlite_schema LIMIT 1').get());
  }

  async close(): Promise<void> {
    if (!this.db.open) return;
    try {
      this.db.close();
    } catch (error) {
      throw toStoreError(error);
    }
  }

  /**
   * Runs a write, trying again while another process holds the write lock, with short pauses that
   * let the event loop run, until `busyTimeoutMs` has passed. Writes are idempotent on the record
   * id (and a change only alters what is not yet in its state), so trying again is safe.
   */
  private async write<T>(work: () => T): Promise<T> {
    const deadline = performance.now() + this.busyTimeoutMs;
    for (let attempt = 1; ; attempt += 1) {
      try {
        return await this.guard(work);
      } catch (error) {
        if (!isBusy(error) || performance.now() >= deadline) throw error;
        await pause(Math.min(BUSY_BACKOFF_MAX_MS, attempt) * (0.5 + Math.random() / 2));
      }
    }
  }

  /** Runs synchronous database work, turning file and lock failures into StoreUnavailableError. */
  private async guard<T>(work: () => T): Promise<T> {
    if (!this.db.open) throw new StoreUnavailableError('the SQLite store is closed');
    try {
      return work();
    } catch (error) {
      throw toStoreError(error);
    }
  }

  private all<Row>({ sql, params }: SqlQuery): Row[] {
    // Each SELECT of sqliteQueries lists exactly the columns of its Row type.
    return this.statement(sql).all(...params) as Row[];
  }

  /** The prepared statement for `sql`, prepared on first use and then reused. */
  private statement(sql: string): Database.Statement<SqlValue[]> {
    let statement = this.statements.get(sql);
    if (statement === undefined) {
      statement = this.db.prepare<SqlValue[]>(sql);
      this.statements.set(sql, statement);
    }
    return statement;
  }
}
