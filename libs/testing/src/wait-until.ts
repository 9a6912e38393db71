export interface WaitUntilOptions {
  /** Give up after this many ms. */
  timeoutMs: number;
  /** Time between two checks (ms). Default 50. */
  intervalMs?: number;
  /** What was awaited, for the error on timeout. */
  message: string;
}

/**
 * Polls `check` until it returns true; for conditions that announce themselves with no event
 * (e.g. "all 1,000 rows are stored"). A check that throws counts as false; its last error is in
 * the timeout's message.
 */
export async function waitUntil(
  check: () => boolean | Promise<boolean>,
  { timeoutMs, intervalMs = 50, message }: WaitUntilOptions,
): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  let lastError: unknown;
  for (;;) {
    try {
      if (await check()) return;
      lastError = undefined;
    } catch (error) {
      lastError = error;
    }
    if (Date.now() >= deadline) {
      const cause = lastError === undefined ? '' : ` (last check threw: ${(lastError as Error).message ?? String(lastError)})`;
      throw new Error(`timed out after ${timeoutMs} ms waiting until ${message}${cause}`, { cause: lastError });
    }
    await new Promise((resolve) => setTimeout(resolve, Math.min(intervalMs, Math.max(0, deadline - Date.now()))));
  }
}
