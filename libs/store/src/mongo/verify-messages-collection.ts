import type { CollectionInfo } from 'mongodb';
import { StoreMismatchError } from '../store-errors.js';
import type { MessagesRetention } from './messages-retention.js';

/** The cap of a capped collection as the server reports it; `maxDocs` undefined = no document limit. */
interface Cap {
  bytes: number;
  maxDocs: number | undefined;
}

/**
 * Decides what `open` does with the existing `messages` collection (from `listCollections`, or
 * undefined when there is none): `'create'` it, or `'ok'` when it is shaped as `retention` asks.
 * Throws {@link StoreMismatchError} with one line saying what differs and how to fix it; never
 * proposes dropping anything.
 */
export function verifyMessagesCollection(
  existing: CollectionInfo | undefined,
  retention: MessagesRetention,
): 'create' | 'ok' {
  if (!existing) return 'create';
  const { name } = existing;
  if (existing.type !== undefined && existing.type !== 'collection') {
    throw new StoreMismatchError(`${name} is a ${existing.type}, not a collection; rename or remove it, or use another MONGO_DB`);
  }
  const cap = readCap(existing.options);
  if (retention.kind === 'ttl') {
    if (!cap) return 'ok';
    throw new StoreMismatchError(
      `${name} collection is capped (${describeCap(cap)}) but RETENTION=ttl was asked; a capped collection cannot take ` +
        `a TTL index: keep RETENTION=capped (${capEnv(cap)}) or point MONGO_DB at a new database and move the messages`,
    );
  }
  const wanted: Cap = { bytes: retention.capBytes, maxDocs: retention.capDocs };
  if (!cap) {
    throw new StoreMismatchError(
      `${name} collection is not capped but RETENTION=capped was asked (${describeCap(wanted)}); set RETENTION=ttl ` +
        `(MESSAGES_TTL_DAYS) to keep using it, or point MONGO_DB at a new database`,
    );
  }
  if (sameBytes(cap.bytes, wanted.bytes) && cap.maxDocs === wanted.maxDocs) return 'ok';
  const collMod = JSON.stringify({ collMod: name, cappedSize: wanted.bytes, cappedMax: wanted.maxDocs ?? 0 });
  throw new StoreMismatchError(
    `${name} collection is capped (${describeCap(cap)}) but the configuration asks for ${describeCap(wanted)}; ` +
      `set ${capEnv(cap)} to keep it, or resize it with db.runCommand(${collMod}) (MongoDB 6.0+)`,
  );
}

function readCap(options: CollectionInfo['options']): Cap | undefined {
  if (options?.['capped'] !== true) return undefined;
  const maxDocs = Number(options['max'] ?? 0);
  // Servers report a missing document limit as absent, 0 or (old ones) negative.
  return { bytes: Number(options['size'] ?? 0), maxDocs: maxDocs > 0 ? maxDocs : undefined };
}

/**
 * Servers before 6.0 round a capped size up to a multiple of 256 bytes and report the rounded
 * value; compare rounded sizes so a cap that was accepted as asked is not called a mismatch.
 */
function sameBytes(reported: number, asked: number): boolean {
  const roundUp = (bytes: number) => Math.ceil(bytes / 256) * 256;
  return roundUp(reported) === roundUp(asked);
}

function describeCap(cap: Cap): string {
  const docs = cap.maxDocs === undefined ? 'no document limit' : `max ${cap.maxDocs} documents`;
  return `${cap.bytes} bytes, ${docs}`;
}

function capEnv(cap: Cap): string {
  const docs = cap.maxDocs === undefined ? 'MESSAGES_CAP_DOCS unset' : `MESSAGES_CAP_DOCS=${cap.maxDocs}`;
  return `MESSAGES_CAP_BYTES=${cap.bytes}, ${docs}`;
}
