import { afterEach, describe, expect, it, vi } from 'vitest';
import { periodic } from './periodic.js';

afterEach(() => {
  vi.useRealTimers();
});

/** A promise and the functions that settle it, for a task the test ends when it chooses. */
function deferred() {
  let resolve!: () => void;
  const promise = new Promise<void>((done) => (resolve = done));
  return { promise, resolve };
}

describe('periodic', () => {
  it('skips ticks while a run is in progress', async () => {
    vi.useFakeTimers();
    const run = deferred();
    const task = vi.fn(() => run.promise);
    const stop = periodic(100, task, () => undefined);

    await vi.advanceTimersByTimeAsync(350);
    expect(task).toHaveBeenCalledTimes(1);

    run.resolve();
    await vi.advanceTimersByTimeAsync(100);
    expect(task).toHaveBeenCalledTimes(2);
    await stop();
  });

  it("stop() resolves only once the run in progress has ended, and no run starts after it", async () => {
    vi.useFakeTimers();
    const run = deferred();
    const task = vi.fn(() => run.promise);
    const stop = periodic(100, task, () => undefined);
    await vi.advanceTimersByTimeAsync(100);
    expect(task).toHaveBeenCalledTimes(1);

    let stopped = false;
    const stopping = stop().then(() => (stopped = true));
    await vi.advanceTimersByTimeAsync(500);
    expect(stopped).toBe(false);

    run.resolve();
    await stopping;
    expect(stopped).toBe(true);
    await vi.advanceTimersByTimeAsync(500);
    expect(task).toHaveBeenCalledTimes(1);
  });

  it('hands failures to onError and keeps the schedule', async () => {
    vi.useFakeTimers();
    const errors: unknown[] = [];
    const task = vi.fn(() => Promise.reject(new Error('Redis down')));
    const stop = periodic(100, task, (error) => errors.push(error));

    await vi.advanceTimersByTimeAsync(300);
    expect(task).toHaveBeenCalledTimes(3);
    expect(errors.map((error) => (error as Error).message)).toEqual(['Redis down', 'Redis down', 'Redis down']);
    await stop();
  });
});
