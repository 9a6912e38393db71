import { describe, expect, it } from 'vitest';
import { ReadSelector } from './read-selector.js';
import { newRecordId, recordIdTime } from './record-id.js';

describe('ReadSelector', () => {
  it('accepts ids, a type or all', () => {
    expect(ReadSelector.parse({ ids: [newRecordId()] })).toHaveProperty('ids');
    expect(ReadSelector.parse({ typeID: 2 })).toEqual({ typeID: 2 });
    expect(ReadSelector.parse({ all: true })).toEqual({ all: true });
  });

  it('refuses empty, mixed, oversized and malformed selectors', () => {
    const tooMany = Array.from({ length: 1001 }, () => newRecordId());
    for (const bad of [{}, { all: false }, { ids: [] }, { ids: tooMany }, { ids: ['not-an-id'] }, { typeID: 4 }, { all: true, typeID: 1 }, 'all']) {
      expect(ReadSelector.safeParse(bad).success, JSON.stringify(bad).slice(0, 40)).toBe(false);
    }
  });
});

describe('newRecordId', () => {
  it('is strictly increasing, even within one millisecond', () => {
    const ids = Array.from({ length: 1000 }, () => newRecordId(1_800_000_000_000));
    expect([...ids].sort()).toEqual(ids);
    expect(new Set(ids).size).toBe(ids.length);
  });
});

describe('recordIdTime', () => {
  it('reads the millisecond time a record id was made at', () => {
    // Later than any id made earlier in this file: the factory is monotonic and never goes back.
    const at = Date.parse('2031-03-04T05:06:07.089Z');
    expect(recordIdTime(newRecordId(at))).toBe(at);
    expect(recordIdTime('01ARYZ6S41TSV4RRFFQ69G5FAV')).toBe(1469918176385);
  });

  it('is undefined for a string that is not a record id', () => {
    expect(recordIdTime('not-a-ulid-at-all-uuuuuuuu')).toBeUndefined();
    expect(recordIdTime('not-a-ulid')).toBeUndefined();
    expect(recordIdTime('')).toBeUndefined();
  });
});
