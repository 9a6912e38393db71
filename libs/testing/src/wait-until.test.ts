import { describe, expect, it } from 'vitest';
import { waitUntil } from './wait-until.js';

describe('waitUntil', () => {
  it('resolves once the check holds', async () => {
    let calls = 0;
    await waitUntil(() => ++calls >= 3, { timeoutMs: 1000, intervalMs: 1, message: 'three calls' });
    expect(calls).toBe(3);
  });

  it('accepts an async check', async () => {
    await expect(waitUntil(async () => true, { timeoutMs: 100, message: 'at once' })).resolves.toBeUndefined();
  });

  it('rejects with the message, and the last error of a throwing check, on timeout', async () => {
    await expect(
      waitUntil(
        () => {
          throw new Error('store closed');
        },
        { timeoutMs: 30, intervalMs: 5, message: 'all rows are stored' },
      ),
    ).rejects.toThrow(/all rows are stored \(last check threw: store closed\)/);
  });
});
