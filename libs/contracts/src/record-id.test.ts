import { describe, expect, it } from 'vitest';
import { newRecordId, newRecordIds, recordIdRun, recordIdTime } from './record-id.js';

describe('record id runs', () => {
  it('gives back every id of a run from its first, in order, all of one time', () => {
    for (const count of [1, 2, 1000]) {
      const ids = newRecordIds(count, 1_767_000_000_000);
      expect(recordIdRun(ids[0] as string, count)).toEqual(ids);
      expect([...ids].sort()).toEqual(ids);
      expect(new Set(ids.map((id) => recordIdTime(id)))).toEqual(new Set([1_767_000_000_000]));
    }
  });

  it('never hands out an id of a run again: the next id of the process comes after it', () => {
    const now = Date.now();
    const run = newRecordIds(50, now);
    const next = newRecordId(now);
    expect(next > (run.at(-1) as string)).toBe(true);
    expect(run).not.toContain(next);
  });

  it('carries into the characters before, as counting does, and wraps round after the largest', () => {
    expect(recordIdRun('01KB0000000000000000000ZZZ', 2)).toEqual(['01KB0000000000000000000ZZZ', '01KB0000000000000000001000']);
    expect(recordIdRun('01KB00000ZZZZZZZZZZZZZZZZZ', 2)).toEqual(['01KB00000ZZZZZZZZZZZZZZZZZ', '01KB00000Z0000000000000000']);
  });
});
