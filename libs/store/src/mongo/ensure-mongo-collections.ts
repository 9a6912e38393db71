import { MongoServerError } from 'mongodb';
import type { Db } from 'mongodb';
import { StoreMismatchError } from '../store-errors.js';
import type { MessagesRetention } from './messages-retention.js';
import { COUNTERS_COLLECTION, mongoCollectionSpecs } from './mongo-collection-specs.js';
import { countEarlierMessages } from './inbox-counters.js';
import type { CollectionSpec } from './mongo-collection-specs.js';
import { verifyMessagesCollection } from './verify-messages-collection.js';
import { NOT_SET } from './message-document.js';

/** Indexes of earlier versions that the current queries no longer use. */
const OBSOLETE_MESSAGE_INDEXES = ['receiverID_isRead_typeID_id'];

const NAMESPACE_EXISTS = 48;
const NOT_IMPLEMENTED = 238;

/**
 * Creates what the store needs and checks what is already there; safe to run on every start and
 * from several processes at once. Never drops or rewrites data: a `messages` collection shaped
 * differently from `retention` (capped vs not, other cap), or RETENTION=ttl on a server without
 * TTL indexes, makes it throw StoreMismatchError.
 */
export async function ensureMongoCollections(db: Db, retention: MessagesRetention): Promise<void> {
  const { messages, dynamics } = mongoCollectionSpecs(retention);
  await ensureMessagesCollection(db, messages, retention);
  await addStateFields(db, messages.name);
  await countEarlierMessages(db.collection(messages.name), db.collection(COUNTERS_COLLECTION));
  await createIndexes(db, messages);
  await dropIndexes(db, messages.name, OBSOLETE_MESSAGE_INDEXES);
  await ensureTtlIndex(db, messages);
  // createIndexes creates the operation log collection itself when it is missing.
  await createIndexes(db, dynamics);
}

/**
 * One createIndexes per index, each a no-op when the index exists. Not one call for all: FerretDB
 * 1.24 drops the connection when a single call names two or more indexes that already exist (it
 * removes them from its list by their original positions), which every start after the first
 * does. MongoDB treats both forms alike.
 */
async function createIndexes(db: Db, spec: CollectionSpec): Promise<void> {
  for (const index of spec.indexes) await db.collection(spec.name).createIndexes([index]);
}

async function ensureMessagesCollection(db: Db, spec: CollectionSpec, retention: MessagesRetention): Promise<void> {
  const existing = await findCollection(db, spec.name);
  if (verifyMessagesCollection(existing, retention) === 'ok') return;
  // With a TTL, creating the index creates the collection: it never exists without one, and a
  // server that has no TTL indexes is refused before anything is created.
  if (spec.ttlIndex) return createTtlIndex(db, spec.name, spec.ttlIndex);
  try {
    await db.createCollection(spec.name, spec.createOptions);
  } catch (error) {
    // Another process (api, worker and gateway start together) created it first: check theirs.
    if (!(error instanceof MongoServerError && error.code === NAMESPACE_EXISTS)) throw error;
    verifyMessagesCollection(await findCollection(db, spec.name), retention);
  }
}

async function findCollection(db: Db, name: string) {
  const [info] = await db.listCollections({ name }, { nameOnly: false }).toArray();
  return info;
}

/**
 * A changed MESSAGES_TTL_DAYS is applied with collMod, which keeps the index (no rebuild); the
 * server then deletes whatever the new limit has expired, as the configuration asks.
 */
async function ensureTtlIndex(db: Db, spec: CollectionSpec): Promise<void> {
  const { ttlIndex } = spec;
  if (!ttlIndex) return;
  const indexes = await db.collection(spec.name).listIndexes().toArray();
  const existing = indexes.find((index) => index['name'] === ttlIndex.name);
  if (!existing) {
    await createTtlIndex(db, spec.name, ttlIndex);
  } else if (existing['expireAfterSeconds'] !== ttlIndex.expireAfterSeconds) {
    await db.command({ collMod: spec.name, index: { name: ttlIndex.name, expireAfterSeconds: ttlIndex.expireAfterSeconds } });
  }
}

/**
 * Gives messages stored by a version before message states their state fields (a read message
 * counts as seen). In a capped collection a document may not grow, so there it can only succeed
 * when no such message is left; otherwise it throws StoreMismatchError saying what to do.
 */
async function addStateFields(db: Db, name: string): Promise<void> {
  const messages = db.collection(name);
  const earlier = { isDeleted: { $exists: false } };
  if ((await messages.countDocuments(earlier, { limit: 1 })) === 0) return;
  const states = { isArchived: false, archivedAt: NOT_SET, isDeleted: false, deletedAt: NOT_SET };
  try {
    await messages.updateMany({ ...earlier, isRead: true }, { $set: { ...states, isSeen: true, seenAt: NOT_SET } });
    await messages.updateMany(earlier, { $set: { ...states, isSeen: false, seenAt: NOT_SET } });
  } catch (error) {
    const reason = error instanceof Error ? error.message : String(error);
    throw new StoreMismatchError(
      `${name} holds messages stored before message states, which a capped collection cannot give their new fields ` +
        `(${reason}); use a new MONGO_DB and copy the messages over with the fields added, or wait until the cap has dropped them`,
    );
  }
}

async function dropIndexes(db: Db, name: string, indexNames: readonly string[]): Promise<void> {
  const existing = new Set((await db.collection(name).listIndexes().toArray()).map((index) => index['name'] as string));
  for (const indexName of indexNames) if (existing.has(indexName)) await db.collection(name).dropIndex(indexName);
}

async function createTtlIndex(db: Db, name: string, ttlIndex: NonNullable<CollectionSpec['ttlIndex']>): Promise<void> {
  try {
    await db.collection(name).createIndexes([ttlIndex]);
  } catch (error) {
    if (!(error instanceof MongoServerError && error.code === NOT_IMPLEMENTED)) throw error;
    throw new StoreMismatchError(
      `RETENTION=ttl needs a TTL index on ${name}, which this server does not implement (${error.message}; ` +
        `FerretDB 1.24 has none): use RETENTION=capped`,
    );
  }
}
