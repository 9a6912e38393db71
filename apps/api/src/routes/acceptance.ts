import { NEW_MESSAGE_STATE, newRecordIds, recordIdRun, recordIdTime, type BulkMessage, type Dynamic, type Message, type RecordId, type SendDynamicBody } from '@notify/contracts';

/**
 * What an `Idempotency-Key` keeps of an accepted send for 24 h: its first record id only. That id
 * holds the moment of acceptance, and the other receivers' ids are the ones that follow it
 * ({@link recordIdRun}), so a key takes the same few bytes whether the send had 1 receiver or 1,000.
 */
export interface Acceptance {
  first: RecordId;
}

/** How the api kept an acceptance before (every id and the time), still found under keys of the last 24 h. */
interface EarlierAcceptance {
  ids?: string[];
  id?: string;
  acceptedAt: string;
}

/** A new acceptance of `count` records (consecutive ids of this moment). */
export function newAcceptance(count: number): Acceptance {
  return { first: newRecordIds(count)[0] as RecordId };
}

/** The ids and the acceptance time (ISO-8601) of `count` records accepted as `acceptance`. */
export function acceptedRecords(acceptance: Acceptance | EarlierAcceptance, count: number): { ids: string[]; acceptedAt: string } {
  if (!('first' in acceptance)) return { ids: acceptance.ids ?? [acceptance.id as string], acceptedAt: acceptance.acceptedAt };
  return { ids: recordIdRun(acceptance.first, count), acceptedAt: new Date(recordIdTime(acceptance.first) as number).toISOString() };
}

/** A message to one receiver as accepted: id `id`, dated `acceptedAt` unless it names its own date, new (unread, unseen). */
export function acceptedMessage(sent: BulkMessage, id: string, acceptedAt: string): Message {
  const { date, ...fields } = sent;
  return { id, ...fields, date: date ?? acceptedAt, ...NEW_MESSAGE_STATE };
}

/** A dynamic as accepted: id `id`, dated `acceptedAt` unless it names its own date. */
export function acceptedDynamic(sent: SendDynamicBody, id: string, acceptedAt: string): Dynamic {
  return { id, ...sent, date: sent.date ?? acceptedAt };
}
