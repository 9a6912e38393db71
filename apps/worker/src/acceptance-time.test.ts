import { describe, expect, it } from 'vitest';
import { newRecordId } from '@notify/contracts';
import { acceptanceTime } from './acceptance-time.js';

describe('acceptanceTime', () => {
  it('is the time the record id was made at', () => {
    const at = Date.UTC(2026, 10, 26, 10, 0, 0, 123);
    expect(acceptanceTime(newRecordId(at))).toBe(at);
  });

  it('is undefined for an id that is not a ULID', () => {
    expect(acceptanceTime('not-a-ulid')).toBeUndefined();
    expect(acceptanceTime('')).toBeUndefined();
  });
});
