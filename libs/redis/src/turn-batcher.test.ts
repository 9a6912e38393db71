import { afterEach, describe, expect, it, vi } from 'vitest';
import { TurnBatcher } from './turn-batcher.js';

describe('TurnBatcher', () => {
  afterEach(() => {
    vi.useRealTimers();
  });

  const recording = (options?: { minIntervalMs?: number }) => {
    const batches: number[][] = [];
    const batcher = new TurnBatcher<number>(async (items) => void batches.push(items), options);
    return { batches, batcher };
  };

  it('flushes the items of one turn together, and each later turn on its own', async () => {
    const { batches, batcher } = recording();
    await Promise.all([batcher.submit(1), batcher.submit(2)]);
    await batcher.submit(3);
    expect(batches).toEqual([[1, 2], [3]]);
  });

  it('with minIntervalMs, sends the first item at the end of its turn and gathers what follows until the interval ends', async () => {
    vi.useFakeTimers({ toFake: ['setTimeout', 'setImmediate', 'performance'] });
    const { batches, batcher } = recording({ minIntervalMs: 10 });
    const first = batcher.submit(1);
    await vi.advanceTimersByTimeAsync(0);
    await first;
    expect(batches).toEqual([[1]]);
    const later = [batcher.submit(2)];
    await vi.advanceTimersByTimeAsync(4);
    later.push(batcher.submit(3));
    await vi.advanceTimersByTimeAsync(4);
    expect(batches).toEqual([[1]]);
    await vi.advanceTimersByTimeAsync(2);
    await Promise.all(later);
    expect(batches).toEqual([[1], [2, 3]]);
    // Quiet for longer than the interval: the next item goes out at once.
    await vi.advanceTimersByTimeAsync(50);
    const next = batcher.submit(4);
    await vi.advanceTimersByTimeAsync(0);
    await next;
    expect(batches).toEqual([[1], [2, 3], [4]]);
  });

  it('rejects every item of a batch whose flush fails', async () => {
    const batcher = new TurnBatcher<number>(async () => {
      throw new Error('down');
    });
    const results = await Promise.allSettled([batcher.submit(1), batcher.submit(2)]);
    expect(results.map((result) => result.status)).toEqual(['rejected', 'rejected']);
  });
});
