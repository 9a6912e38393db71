import { describe, expect, it } from 'vitest';
import { olderPageDate } from './older-page-date.js';

describe('olderPageDate', () => {
  it('writes the instant as YYYY-MM-DD HH:mm:ss on the wall clock of the time zone', () => {
    expect(olderPageDate('2026-12-01T03:24:58.000Z', 'Asia/Shanghai')).toBe('2026-12-01 11:24:58');
    expect(olderPageDate('2026-12-01T03:24:58.000Z', 'UTC')).toBe('2026-12-01 03:24:58');
    expect(olderPageDate('2026-12-31T20:00:00.000Z', 'Asia/Tokyo')).toBe('2027-01-01 05:00:00');
  });

  it('writes midnight as 00, and follows daylight saving time', () => {
    expect(olderPageDate('2026-06-30T16:00:00.000Z', 'Asia/Shanghai')).toBe('2026-07-01 00:00:00');
    expect(olderPageDate('2026-07-01T12:00:00.000Z', 'America/New_York')).toBe('2026-07-01 08:00:00');
    expect(olderPageDate('2026-01-01T12:00:00.000Z', 'America/New_York')).toBe('2026-01-01 07:00:00');
  });
});
