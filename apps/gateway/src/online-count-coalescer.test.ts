import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { OnlineCountCoalescer } from './online-count-coalescer.js';

describe('OnlineCountCoalescer', () => {
  let sent: [string, number][];
  const record = (companyID: string, count: number) => void sent.push([companyID, count]);

  beforeEach(() => {
    sent = [];
    vi.useFakeTimers();
  });
  afterEach(() => {
    vi.useRealTimers();
  });

  it('sends the first change at once and the latest of a burst when the interval ends', () => {
    const coalescer = new OnlineCountCoalescer(1000, record);
    coalescer.changed('7', 1);
    expect(sent).toEqual([['7', 1]]);
    for (let count = 2; count <= 40; count += 1) coalescer.changed('7', count);
    vi.advanceTimersByTime(999);
    expect(sent).toEqual([['7', 1]]);
    vi.advanceTimersByTime(1);
    expect(sent).toEqual([['7', 1], ['7', 40]]);
  });

  it('keeps merging while changes keep coming, one count per interval, and ends on the last one', () => {
    const coalescer = new OnlineCountCoalescer(1000, record);
    for (let tick = 0; tick < 35; tick += 1) {
      coalescer.changed('7', tick + 1);
      vi.advanceTimersByTime(100);
    }
    vi.advanceTimersByTime(2000);
    expect(sent.length).toBeLessThanOrEqual(5);
    expect(sent.at(-1)).toEqual(['7', 35]);
  });

  it('sends a change after a quiet interval at once, and sends nothing when nothing changed', () => {
    const coalescer = new OnlineCountCoalescer(1000, record);
    coalescer.changed('7', 3);
    vi.advanceTimersByTime(5000);
    expect(sent).toEqual([['7', 3]]);
    coalescer.changed('7', 2);
    expect(sent).toEqual([['7', 3], ['7', 2]]);
  });

  it('merges each company on its own', () => {
    const coalescer = new OnlineCountCoalescer(1000, record);
    coalescer.changed('7', 1);
    coalescer.changed('8', 1);
    coalescer.changed('7', 2);
    expect(sent).toEqual([['7', 1], ['8', 1]]);
    vi.advanceTimersByTime(1000);
    expect(sent).toEqual([['7', 1], ['8', 1], ['7', 2]]);
  });

  it('sends every change at once with an interval of 0', () => {
    const coalescer = new OnlineCountCoalescer(0, record);
    for (const count of [1, 2, 3]) coalescer.changed('7', count);
    expect(sent).toEqual([['7', 1], ['7', 2], ['7', 3]]);
  });

  it('drops what is pending when closed', () => {
    const coalescer = new OnlineCountCoalescer(1000, record);
    coalescer.changed('7', 1);
    coalescer.changed('7', 2);
    coalescer.close();
    vi.advanceTimersByTime(5000);
    expect(sent).toEqual([['7', 1]]);
  });
});
