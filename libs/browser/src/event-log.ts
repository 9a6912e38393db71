/**
 * The state changes of events that arrived while a read (`catch_up`, a list page) was in flight.
 * The gateway may have read its answer before those events happened, so once the answer is
 * applied they are applied again on top of it, in order. Each entry sets a state (it never adds
 * to one), so applying it twice is harmless.
 */
export class EventLog {
  private entries: (() => void)[] = [];
  /** The position of `entries[0]` since the log was created. */
  private base = 0;
  private open = 0;

  /** Starts recording for a read; returns its mark. Release it with {@link release}. */
  mark(): number {
    this.open += 1;
    return this.base + this.entries.length;
  }

  /** Applies `change` now and, while a read is in flight, records it. */
  apply(change: () => void): void {
    change();
    if (this.open > 0) this.entries.push(change);
  }

  /** Applies again every change recorded since `mark`. */
  replaySince(mark: number): void {
    for (const change of this.entries.slice(Math.max(0, mark - this.base))) change();
  }

  release(): void {
    this.open -= 1;
    if (this.open > 0) return;
    this.open = 0;
    this.base += this.entries.length;
    this.entries = [];
  }
}
