import { describe, expect, it } from 'vitest';
import { DYNAMICS_COLLECTION, IndexName, MESSAGES_COLLECTION, mongoCollectionSpecs } from './mongo-collection-specs.js';

const GiB = 1024 ** 3;

describe('mongoCollectionSpecs', () => {
  it('creates messages as a capped collection of capBytes, without a document limit when capDocs is unset', () => {
    const { messages } = mongoCollectionSpecs({ kind: 'capped', capBytes: GiB });
    expect(messages.name).toBe(MESSAGES_COLLECTION);
    expect(messages.createOptions).toStrictEqual({ capped: true, size: GiB });
    expect(messages.ttlIndex).toBeUndefined();
  });

  it('passes capDocs as the capped collection max', () => {
    const { messages } = mongoCollectionSpecs({ kind: 'capped', capBytes: GiB, capDocs: 1_000_000 });
    expect(messages.createOptions).toStrictEqual({ capped: true, size: GiB, max: 1_000_000 });
  });

  it('creates messages as a normal collection with a TTL index on acceptedAt for ttl retention', () => {
    const { messages } = mongoCollectionSpecs({ kind: 'ttl', ttlDays: 90 });
    expect(messages.createOptions).toStrictEqual({});
    expect(messages.ttlIndex).toStrictEqual({
      name: IndexName.messagesTtl,
      key: { acceptedAt: 1 },
      expireAfterSeconds: 90 * 24 * 60 * 60,
    });
  });

  it('indexes messages for lists and for the unseen count, in that key order, for both retentions', () => {
    for (const retention of [{ kind: 'capped', capBytes: GiB } as const, { kind: 'ttl', ttlDays: 1 } as const]) {
      const [lists, unseen, ...others] = mongoCollectionSpecs(retention).messages.indexes;
      expect(others).toEqual([]);
      expect(lists?.name).toBe(IndexName.messagesByReceiver);
      expect(Object.keys(lists?.key ?? {})).toEqual(['receiverID', 'isDeleted', 'isArchived', 'isRead', 'typeID', '_id']);
      expect(unseen?.name).toBe(IndexName.messagesUnseen);
      expect(Object.keys(unseen?.key ?? {})).toEqual(['receiverID', 'isDeleted', 'isArchived', 'isSeen', '_id']);
    }
  });

  it('keeps dynamics in operation_log indexed by (companyID, _id) and (objectType, objectID, _id)', () => {
    const { dynamics } = mongoCollectionSpecs({ kind: 'capped', capBytes: GiB });
    expect(dynamics.name).toBe(DYNAMICS_COLLECTION);
    expect(DYNAMICS_COLLECTION).toBe('operation_log');
    expect(dynamics.createOptions).toStrictEqual({});
    expect(dynamics.ttlIndex).toBeUndefined();
    expect(dynamics.indexes).toStrictEqual([
      { name: IndexName.dynamicsByCompany, key: { companyID: 1, _id: 1 } },
      { name: IndexName.dynamicsByObject, key: { objectType: 1, objectID: 1, _id: 1 } },
    ]);
    expect(dynamics.indexes.map((index) => Object.keys(index.key))).toEqual([
      ['companyID', '_id'],
      ['objectType', 'objectID', '_id'],
    ]);
  });
});
