/** Runs `send` for 0 … count-1, `atOnce` at a time (default 50); resolves with what each returned, in order. */
export async function sendMany<T>(count: number, send: (n: number) => Promise<T>, atOnce = 50): Promise<T[]> {
  const results: T[] = [];
  for (let start = 0; start < count; start += atOnce) {
    results.push(...(await Promise.all(Array.from({ length: Math.min(atOnce, count - start) }, (_, i) => send(start + i)))));
  }
  return results;
}
