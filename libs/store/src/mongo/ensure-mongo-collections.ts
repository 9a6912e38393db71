import { MongoServerError } from 'mongodb';
import type { Db } from 'mongodb';
import type { MessagesRetention } from './messages-retention.js';
import { mongoCollectionSpecs } from './mongo-collection-specs.js';
import type { CollectionSpec } from './mongo-collection-specs.js';
import { verifyMessagesCollection } from './verify-messages-collection.js';
import { NOT_SET } from './message-document.js';
import { StoreMismatchError } from '../store-errors.js';

/** Indexes of earlier versions that the current queries no longer use. */
const OBSOLETE_MESSAGE_INDEXES = ['receiverID_isRead_typeID_id'];

const NAMESPACE_EXISTS = 48;

/**
 * Creates what the store needs and checks what is already there; safe to run on every start and
 * from several processes at once. Never drops or rewrites data: a `messages` collection shaped
 * differently from `retention` (capped vs not, other cap) makes it throw StoreMismatchError.
 */
export async function ensureMongoCollections(db: Db, retention: MessagesRetention): Promise<void> {
  const { messages, dynamics } = mongoCollectionSpecs(retention);
  await ensureMessagesCollection(db, messages, retention);
  await addStateFields(db, messages.name);
  await db.collection(messages.name).createIndexes(messages.indexes);
  await dropIndexes(db, messages.name, OBSOLETE_MESSAGE_INDEXES);
  await ensureTtlIndex(db, messages);
  // createIndexes creates the operation log collection itself when it is missing.
  await db.collection(dynamics.name).createIndexes(dynamics.indexes);
}

async function ensureMessagesCollection(db: Db, spec: CollectionSpec, retention: MessagesRetention): Promise<void> {
  const existing = await findCollection(db, spec.name);
  if (verifyMessagesCollection(existing, retention) === 'ok') return;
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
    await db.collection(spec.name).createIndexes([ttlIndex]);
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
