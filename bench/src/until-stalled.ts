/**
 * Reads `read()` every `intervalMs` until `countOf` the reading reaches `expected`, or has not grown
 * for `stallMs`; resolves with the last reading. For a phase's tail: what is still in flight when
 * the senders stop.
 */
export async function untilStalled<T>(read: () => Promise<T>, countOf: (reading: T) => number, expected: number, stallMs: number, intervalMs: number): Promise<T> {
  let reading = await read();
  let last = countOf(reading);
  let progressAt = Date.now();
  while (last < expected && Date.now() - progressAt < stallMs) {
    await new Promise((resolve) => setTimeout(resolve, intervalMs));
    reading = await read();
    const now = countOf(reading);
    if (now > last) progressAt = Date.now();
    last = now;
  }
  return reading;
}
