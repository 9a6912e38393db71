/**
 * Merges a company's `update_online_count` broadcasts. The first change after a quiet spell goes out
 * at once; further changes within `intervalMs` of it are merged, and only the latest count goes out
 * when the interval ends (which starts another). A page therefore always ends with the current
 * count, at most `intervalMs` late, while a burst of arrivals (a gateway restart reconnecting a
 * whole company) costs each page about one event per interval instead of one per arrival: every
 * arrival is otherwise sent to every page of the company, n² events for n pages.
 * `intervalMs` 0 sends every change at once.
 */
export class OnlineCountCoalescer {
  /** Companies within an interval of their last broadcast, with the count still to send, if any. */
  private readonly hot = new Map<string, { pending: number | undefined; timer: NodeJS.Timeout }>();

  constructor(
    private readonly intervalMs: number,
    private readonly broadcast: (companyID: string, count: number) => void,
  ) {}

  /** The company's number of distinct online users is now `count`. */
  changed(companyID: string, count: number): void {
    if (this.intervalMs <= 0) {
      this.broadcast(companyID, count);
      return;
    }
    const hot = this.hot.get(companyID);
    if (hot) {
      hot.pending = count;
      return;
    }
    this.broadcast(companyID, count);
    this.quietFor(companyID);
  }

  /** Drops pending counts and timers (at shutdown). */
  close(): void {
    for (const { timer } of this.hot.values()) clearTimeout(timer);
    this.hot.clear();
  }

  private quietFor(companyID: string): void {
    const entry = {
      pending: undefined as number | undefined,
      timer: setTimeout(() => {
        this.hot.delete(companyID);
        if (entry.pending === undefined) return;
        this.broadcast(companyID, entry.pending);
        this.quietFor(companyID);
      }, this.intervalMs),
    };
    this.hot.set(companyID, entry);
  }
}
