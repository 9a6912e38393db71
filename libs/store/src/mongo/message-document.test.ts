import { BSON } from 'mongodb';
import { Message, NEW_MESSAGE_STATE, newRecordId } from '@notify/contracts';
import { describe, expect, it } from 'vitest';
import { changeSet, fromMessageDocument, NOT_SET, toMessageDocument } from './message-document.js';

const ACCEPTED = Date.parse('2026-03-04T05:06:07.089Z');
const bare: Message = {
  id: newRecordId(ACCEPTED),
  companyID: 'c1',
  receiverID: 'alice',
  typeID: 1,
  title: 'Hello',
  content: 'Body',
  date: '2026-03-04T05:06:07.089Z',
  ...NEW_MESSAGE_STATE,
};
const full: Message = {
  ...bare,
  id: newRecordId(ACCEPTED),
  senderID: 's1',
  sender: 'Sam',
  portrait: 'https://img.example/s.png',
  typeID: 3,
  url: 'https://app.example/t/1',
};

/** What the server holds after `updateMany(…, { $set })`: the same fields, in place. */
const applySet = <T extends object>(document: T, set: Partial<T>): T => ({ ...document, ...set });

describe('message documents', () => {
  it('stores the record id as _id and no id field', () => {
    const document = toMessageDocument(bare);
    expect(document._id).toBe(bare.id);
    expect(document).not.toHaveProperty('id');
  });

  it('round-trips messages with and without optional fields, leaving absent ones out', () => {
    for (const message of [bare, full]) {
      const back = fromMessageDocument(toMessageDocument(message));
      expect(back).toStrictEqual(message);
      expect(Message.parse(back)).toStrictEqual(back);
    }
    expect(Object.keys(fromMessageDocument(toMessageDocument(bare))).sort()).toEqual(
      ['companyID', 'content', 'date', 'id', 'isArchived', 'isRead', 'isSeen', 'receiverID', 'title', 'typeID'].sort(),
    );
  });

  it('round-trips through BSON, as the driver stores and reads it', () => {
    const stored = BSON.deserialize(BSON.serialize(toMessageDocument(full))) as ReturnType<typeof toMessageDocument>;
    expect(fromMessageDocument(stored)).toStrictEqual(full);
  });

  it('round-trips a message stored already read, seen and archived', () => {
    const at = '2026-03-05T10:00:00.000Z';
    const changed: Message = { ...bare, isRead: true, readAt: at, isSeen: true, seenAt: at, isArchived: true, archivedAt: at };
    expect(fromMessageDocument(toMessageDocument(changed))).toStrictEqual(changed);
  });

  it('keeps the contract date string as is and adds acceptedAt, the id time, as a Date for the TTL index', () => {
    const document = toMessageDocument(bare);
    expect(document.date).toBe('2026-03-04T05:06:07.089Z');
    expect(document.acceptedAt).toStrictEqual(new Date(ACCEPTED));
    expect(fromMessageDocument(document)).not.toHaveProperty('acceptedAt');
  });

  it('inserts every state flag and a placeholder time already present, not deleted', () => {
    const document = toMessageDocument(bare);
    expect(document).toMatchObject({ isRead: false, isSeen: false, isArchived: false, isDeleted: false, countClaim: NOT_SET });
    for (const field of ['readAt', 'seenAt', 'archivedAt', 'deletedAt'] as const) expect(document[field]).toStrictEqual(NOT_SET);
  });

  it('applies every change without changing the BSON size, as a capped collection requires', () => {
    const at = '2026-03-05T10:00:00.000Z';
    for (const message of [bare, full]) {
      let document = toMessageDocument(message);
      for (const change of ['seen', 'read', 'unread', 'archive', 'unarchive', 'delete'] as const) {
        const before = document;
        document = applySet(document, changeSet(change, at, document));
        expect(BSON.calculateObjectSize(document), change).toBe(BSON.calculateObjectSize(before));
        expect(Object.keys(document), change).toEqual(Object.keys(before));
      }
      expect(document).toMatchObject({ isRead: false, readAt: NOT_SET, isSeen: true, isArchived: false, isDeleted: true });
    }
  });

  it('marks read and seen when reading, keeping an earlier seenAt', () => {
    const at = '2026-03-05T10:00:00.000Z';
    const unseen = toMessageDocument(bare);
    const seenFirst = applySet(unseen, { isSeen: true, seenAt: new Date('2026-03-01T00:00:00.000Z') });
    expect(fromMessageDocument(applySet(seenFirst, changeSet('read', at, seenFirst)))).toStrictEqual({
      ...bare,
      isRead: true,
      readAt: at,
      isSeen: true,
      seenAt: '2026-03-01T00:00:00.000Z',
    });
    expect(fromMessageDocument(applySet(unseen, changeSet('read', at, unseen)))).toMatchObject({ isRead: true, readAt: at, isSeen: true, seenAt: at });
  });
});
