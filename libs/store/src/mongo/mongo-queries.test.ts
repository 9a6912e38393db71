import { newRecordId } from '@notify/contracts';
import { describe, expect, it } from 'vitest';
import { IndexName } from './mongo-collection-specs.js';
import { mongoQueries } from './mongo-queries.js';

const before = newRecordId();
const after = newRecordId();

describe('mongoQueries', () => {
  describe('listMessages', () => {
    it('names every archived and read state and type when unfiltered, so the index can merge ranges in _id order', () => {
      expect(mongoQueries.listMessages({ receiverID: 'alice', limit: 20 })).toStrictEqual({
        filter: {
          receiverID: 'alice',
          isDeleted: false,
          isArchived: { $in: [false, true] },
          isRead: { $in: [false, true] },
          typeID: { $in: [1, 2, 3] },
        },
        sort: { _id: -1 },
        limit: 20,
        hint: IndexName.messagesByReceiver,
      });
    });

    it('filters on the index prefix, then company and id bounds', () => {
      const { filter } = mongoQueries.listMessages({ receiverID: 'alice', archived: false, unread: true, typeID: 2, companyID: 'c1', before, after, limit: 5 });
      expect(filter).toStrictEqual({
        receiverID: 'alice',
        isDeleted: false,
        isArchived: false,
        isRead: false,
        typeID: 2,
        companyID: 'c1',
        _id: { $lt: before, $gt: after },
      });
      expect(Object.keys(filter).slice(0, 5)).toEqual(['receiverID', 'isDeleted', 'isArchived', 'isRead', 'typeID']);
    });

    it('reads unread=false as "only read"', () => {
      expect(mongoQueries.listMessages({ receiverID: 'alice', unread: false, limit: 5 }).filter.isRead).toBe(true);
    });

    it('reads oldest first and from an id on', () => {
      const shape = mongoQueries.listMessages({ receiverID: 'alice', atOrAfter: after, order: 'oldest', limit: 5 });
      expect(shape.sort).toStrictEqual({ _id: 1 });
      expect(shape.filter._id).toStrictEqual({ $gte: after });
    });
  });

  it("reads one user's counted messages of an id range, optionally one company", () => {
    expect(mongoQueries.countedMessages('alice', after, before)).toStrictEqual({
      receiverID: 'alice',
      isDeleted: false,
      isArchived: false,
      $or: [{ isRead: false }, { isSeen: false }],
      _id: { $gte: after, $lt: before },
    });
    expect(mongoQueries.countedMessages('alice', after, before, 'c1')).toMatchObject({ companyID: 'c1' });
  });

  it("selects only the user's messages that are not deleted and that the selector names", () => {
    expect(mongoQueries.selected('alice', { ids: [before] })).toStrictEqual({ receiverID: 'alice', isDeleted: false, _id: { $in: [before] } });
    expect(mongoQueries.selected('alice', { typeID: 3 })).toStrictEqual({ receiverID: 'alice', isDeleted: false, typeID: 3 });
    expect(mongoQueries.selected('alice', { all: true })).toStrictEqual({ receiverID: 'alice', isDeleted: false });
    expect(mongoQueries.selected('alice', { upTo: before })).toStrictEqual({ receiverID: 'alice', isDeleted: false, _id: { $lte: before } });
  });

  it('pages dynamics newest first by company or by object', () => {
    expect(mongoQueries.companyDynamics({ companyID: 'c1', limit: 10, before })).toStrictEqual({
      filter: { companyID: 'c1', _id: { $lt: before } },
      sort: { _id: -1 },
      limit: 10,
      hint: IndexName.dynamicsByCompany,
    });
    expect(mongoQueries.objectLogs({ objectType: 'task', objectID: 't1', companyID: 'c1', limit: 10 })).toStrictEqual({
      filter: { objectType: 'task', objectID: 't1', companyID: 'c1' },
      sort: { _id: -1 },
      limit: 10,
      hint: IndexName.dynamicsByObject,
    });
  });
});
