/**
 * Collects the items submitted in one event-loop turn and hands them to `flush` together, so many
 * concurrent callers share one round trip (one Redis pipeline, one store transaction). Each
 * caller's promise settles when the batch its item went out in does: resolved when `flush`
 * resolves, rejected with its error otherwise.
 */
export class TurnBatcher<T> {
  private waiting: { item: T; settle: (error?: unknown) => void }[] = [];

  constructor(private readonly flush: (items: T[]) => Promise<void>) {}

  /** Resolves once the batch holding `item` has been flushed. */
  submit(item: T): Promise<void> {
    return new Promise((resolve, reject) => {
      if (this.waiting.length === 0) setImmediate(() => void this.flushWaiting());
      this.waiting.push({ item, settle: (error) => (error === undefined ? resolve() : reject(error)) });
    });
  }

  private async flushWaiting(): Promise<void> {
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
