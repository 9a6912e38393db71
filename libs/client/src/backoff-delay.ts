/**
 * The wait before retry number `retry` (1 for the first retry): `baseMs·2^(retry-1)`, capped at
 * `maxMs`, of which a random half is taken off ("equal jitter") so many clients that failed
 * together do not come back together, while each still waits at least half the step.
 */
export function backoffDelay(retry: number, baseMs: number, maxMs: number, random: () => number = Math.random): number {
  const step = Math.min(maxMs, baseMs * 2 ** Math.max(0, retry - 1));
  return step / 2 + random() * (step / 2);
}
