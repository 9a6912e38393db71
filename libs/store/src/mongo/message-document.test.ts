import { BSON } from 'mongodb';
import { Message, newRecordId } from '@notify/contracts';
import { describe, expect, it } from 'vitest';
import { fromMessageDocument, markReadSet, toMessageDocument, UNREAD_READ_AT } from './message-document.js';

const ACCEPTED = Date.parse('2026-03-04T05:06:07.089Z');
const bare: Message = {
  id: newRecordId(ACCEPTED),
  companyID: 'c1',
  receiverID: 'alice',
  typeID: 1,
  title: 'Hello',
  content: 'Body',
  date: '2026-03-04T05:06:07.089Z',
  isRead: false,
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
      ['companyID', 'content', 'date', 'id', 'isRead', 'receiverID', 'title', 'typeID'].sort(),
    );
  });

  it('round-trips through BSON, as the driver stores and reads it', () => {
    const stored = BSON.deserialize(BSON.serialize(toMessageDocument(full))) as ReturnType<typeof toMessageDocument>;
    expect(fromMessageDocument(stored)).toStrictEqual(full);
  });

  it('round-trips a message stored already read', () => {
    const read: Message = { ...bare, isRead: true, readAt: '2026-03-05T10:00:00.000Z' };
    expect(fromMessageDocument(toMessageDocument(read))).toStrictEqual(read);
  });

  it('keeps the contract date string as is and adds acceptedAt, the id time, as a Date for the TTL index', () => {
    const document = toMessageDocument(bare);
    expect(document.date).toBe('2026-03-04T05:06:07.089Z');
    expect(document.acceptedAt).toStrictEqual(new Date(ACCEPTED));
    expect(fromMessageDocument(document)).not.toHaveProperty('acceptedAt');
  });

  it('inserts unread messages with isRead and a placeholder readAt already present', () => {
    const document = toMessageDocument(bare);
    expect(document.isRead).toBe(false);
    expect(document.readAt).toStrictEqual(UNREAD_READ_AT);
  });

  it('marks read without changing the BSON size, as a capped collection requires', () => {
    for (const message of [bare, full]) {
      const unread = toMessageDocument(message);
      const read = applySet(unread, markReadSet('2026-03-05T10:00:00.000Z'));
      expect(BSON.calculateObjectSize(read)).toBe(BSON.calculateObjectSize(unread));
      expect(Object.keys(read)).toEqual(Object.keys(unread));
      expect(fromMessageDocument(read)).toStrictEqual({ ...message, isRead: true, readAt: '2026-03-05T10:00:00.000Z' });
    }
  });

  it('sets only fixed-size fields when marking read', () => {
    const set = markReadSet('2026-03-05T10:00:00.000Z');
    expect(set).toStrictEqual({ isRead: true, readAt: new Date('2026-03-05T10:00:00.000Z') });
  });
});
