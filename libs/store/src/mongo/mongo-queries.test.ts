import { newRecordId } from '@notify/contracts';
import { describe, expect, it } from 'vitest';
import { IndexName } from './mongo-collection-specs.js';
import { mongoQueries } from './mongo-queries.js';

const before = newRecordId();
const after = newRecordId();

describe('mongoQueries', () => {
  describe('listMessages', () => {
    it('names every read state and type when unfiltered, so the index can merge ranges in _id order', () => {
      expect(mongoQueries.listMessages({ receiverID: 'alice', limit: 20 })).toStrictEqual({
        filter: { receiverID: 'alice', isRead: { $in: [false, true] }, typeID: { $in: [1, 2, 3] } },
        sort: { _id: -1 },
        limit: 20,
        hint: IndexName.messagesByReceiver,
      });
    });

    it('filters on the index prefix, then company and id bounds', () => {
      const { filter } = mongoQueries.listMessages({ receiverID: 'alice', unread: true, typeID: 2, companyID: 'c1', before, after, limit: 5 });
      expect(filter).toStrictEqual({ receiverID: 'alice', isRead: false, typeID: 2, companyID: 'c1', _id: { $lt: before, $gt: after } });
      expect(Object.keys(filter).slice(0, 3)).toEqual(['receiverID', 'isRead', 'typeID']);
    });

    it('reads unread=false as "only read"', () => {
      expect(mongoQueries.listMessages({ receiverID: 'alice', unread: false, limit: 5 }).filter.isRead).toBe(true);
    });
  });

  it('counts unread messages per type of one user, optionally one company', () => {
    expect(mongoQueries.unreadCount('alice')).toStrictEqual([
      { $match: { receiverID: 'alice', isRead: false } },
      { $group: { _id: '$typeID', count: { $sum: 1 } } },
    ]);
    expect(mongoQueries.unreadCount('alice', 'c1')[0]).toStrictEqual({ $match: { receiverID: 'alice', isRead: false, companyID: 'c1' } });
  });

  it("marks only the user's unread messages that the selector names", () => {
    expect(mongoQueries.markRead('alice', { ids: [before] })).toStrictEqual({ receiverID: 'alice', isRead: false, _id: { $in: [before] } });
    expect(mongoQueries.markRead('alice', { typeID: 3 })).toStrictEqual({ receiverID: 'alice', isRead: false, typeID: 3 });
    expect(mongoQueries.markRead('alice', { all: true })).toStrictEqual({ receiverID: 'alice', isRead: false });
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
