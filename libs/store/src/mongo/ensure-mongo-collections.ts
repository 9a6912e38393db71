import { MongoServerError } from 'mongodb';
import type { Db } from 'mongodb';
import { StoreMismatchError } from '../store-errors.js';
import type { MessagesRetention } from './messages-retention.js';
import { mongoCollectionSpecs } from './mongo-collection-specs.js';
import type { CollectionSpec } from './mongo-collection-specs.js';
import { verifyMessagesCollection } from './verify-messages-collection.js';

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
  await createIndexes(db, messages);
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
