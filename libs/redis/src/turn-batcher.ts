export interface TurnBatcherOptions {
  /**
   * Flush at most once per this many ms: an item submitted sooner than that after the last flush
   * waits for the rest of the interval, together with everything submitted meanwhile; one
   * submitted later goes out at the end of its turn, so a quiet batcher adds no delay. Default 0:
   * every turn that had a submission is flushed at its end.
   */
  minIntervalMs?: number;
}

/**
 * Collects the items submitted in one event-loop turn (or, with `minIntervalMs`, within one
 * interval) and hands them to `flush` together, so many concurrent callers share one round trip
 * (one Redis pipeline, one store transaction). Each caller's promise settles when the batch its
 * item went out in does: resolved when `flush` resolves, rejected with its error otherwise.
 */
export class TurnBatcher<T> {
  private waiting: { item: T; settle: (error?: unknown) => void }[] = [];
  private lastFlushAt = Number.NEGATIVE_INFINITY;
  private readonly minIntervalMs: number;

  constructor(
    private readonly flush: (items: T[]) => Promise<void>,
    options: TurnBatcherOptions = {},
  ) {
    this.minIntervalMs = Math.max(0, options.minIntervalMs ?? 0);
  }

  /** Resolves once the batch holding `item` has been flushed. */
  submit(item: T): Promise<void> {
    return new Promise((resolve, reject) => {
      if (this.waiting.length === 0) this.schedule();
      this.waiting.push({ item, settle: (error) => (error === undefined ? resolve() : reject(error)) });
    });
  }

  private schedule(): void {
    const wait = this.minIntervalMs > 0 ? this.lastFlushAt + this.minIntervalMs - performance.now() : 0;
    if (wait >= 1) setTimeout(() => void this.flushWaiting(), wait);
    else setImmediate(() => void this.flushWaiting());
  }

  private async flushWaiting(): Promise<void> {
    this.lastFlushAt = performance.now();
    const batch = this.waiting;
    this.waiting = [];
    try {
      await this.flush(batch.map((entry) => entry.item));
      for (const entry of batch) entry.settle();
    } catch (error) {
      for (const entry of batch) entry.settle(error ?? new Error('the batch failed'));
    }
  }
}
