import { describe, expect, it } from 'vitest';
import { DateInput } from './date-input.js';

describe('DateInput', () => {
  it('normalises ISO-8601 with an offset to UTC', () => {
    expect(DateInput.parse('2026-03-01T10:00:00+08:00')).toBe('2026-03-01T02:00:00.000Z');
    expect(DateInput.parse('2026-03-01T10:00:00Z')).toBe('2026-03-01T10:00:00.000Z');
  });

  it('reads "YYYY-MM-DD HH:mm:ss" in the process time zone', () => {
    const expected = new Date(2026, 2, 1, 10, 0, 0).toISOString();
    expect(DateInput.parse('2026-03-01 10:00:00')).toBe(expected);
  });

  it('rejects impossible and unknown formats', () => {
    for (const bad of ['2026-02-30 10:00:00', '2026-13-01 00:00:00', '01/03/2026', '2026-03-01T10:00:00', 'now']) {
      expect(DateInput.safeParse(bad).success, bad).toBe(false);
    }
  });
});
