/** Growing delays for retries: `first` ms, doubling up to `max`, each with up to a quarter of random jitter. */
export class Backoff {
  private attempt = 0;

  constructor(
    private readonly first = 1000,
    private readonly max = 30_000,
  ) {}

  next(): number {
    const base = Math.min(this.max, this.first * 2 ** this.attempt);
    this.attempt = Math.min(this.attempt + 1, 30);
    return Math.round(base * (1 - Math.random() * 0.25));
  }

  reset(): void {
    this.attempt = 0;
  }
}
