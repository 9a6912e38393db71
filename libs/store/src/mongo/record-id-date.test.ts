import { newRecordId } from '@notify/contracts';
import { describe, expect, it } from 'vitest';
import { recordIdDate } from './record-id-date.js';

describe('recordIdDate', () => {
  it('reads the millisecond time a record id was made at', () => {
    const at = Date.parse('2026-03-04T05:06:07.089Z');
    expect(recordIdDate(newRecordId(at))).toStrictEqual(new Date(at));
    expect(recordIdDate('01ARYZ6S41TSV4RRFFQ69G5FAV')).toStrictEqual(new Date(1469918176385));
  });

  it('refuses a string that is not a record id', () => {
    expect(() => recordIdDate('not-a-ulid-at-all-uuuuuuuu')).toThrow(RangeError);
  });
});
