import { describe, expect, it } from 'vitest';
import { pino } from 'pino';
import { lineBuffer } from './line-buffer.js';

describe('lineBuffer', () => {
  const sink = () => {
    const writes: string[] = [];
    return { writes, out: { write: (chunk: string) => void writes.push(chunk) } };
  };

  it('writes info lines together, and a warning at once after them, in order', () => {
    const { writes, out } = sink();
    const logger = pino({ base: null, timestamp: false }, lineBuffer(out, { flushAfterMs: 60_000 }));
    logger.info('one');
    logger.info('two');
    expect(writes).toEqual([]);
    logger.warn('three');
    expect(writes).toHaveLength(1);
    expect((writes[0] ?? '').split('\n').filter(Boolean).map((line) => (JSON.parse(line) as { msg: string }).msg)).toEqual(['one', 'two', 'three']);
  });

  it('writes what it gathered once it holds enough, or when asked', () => {
    const { writes, out } = sink();
    const buffer = lineBuffer(out, { flushAfterMs: 60_000, flushAtChars: 100 });
    buffer.write(`${'a'.repeat(60)}\n`);
    expect(writes).toEqual([]);
    buffer.write(`${'b'.repeat(60)}\n`);
    expect(writes).toEqual([`${'a'.repeat(60)}\n${'b'.repeat(60)}\n`]);
    buffer.write('c\n');
    buffer.flush();
    expect(writes).toEqual([`${'a'.repeat(60)}\n${'b'.repeat(60)}\n`, 'c\n']);
  });

  it("writes what it gathered on pino's logger.flush(cb), and then calls cb", () => {
    const { writes, out } = sink();
    const logger = pino({ base: null, timestamp: false }, lineBuffer(out, { flushAfterMs: 60_000 }));
    logger.info('pending');
    let flushed = false;
    logger.flush(() => (flushed = true));
    expect(flushed).toBe(true);
    expect(writes.map((chunk) => (JSON.parse(chunk) as { msg: string }).msg)).toEqual(['pending']);
  });

  it('writes gathered lines within flushAfterMs by itself', async () => {
    const { writes, out } = sink();
    const buffer = lineBuffer(out, { flushAfterMs: 5 });
    buffer.write('later\n');
    await expect.poll(() => writes).toEqual(['later\n']);
  });
});
