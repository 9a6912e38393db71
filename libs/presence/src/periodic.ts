/**
 * Runs `task` every `intervalMs` on an unref'd timer (it never keeps the process alive), skipping a
 * tick while the previous run is still going so a slow Redis does not pile runs up. Failures go to
 * `onError`; the schedule continues. Returns a function that stops it.
 */
export function periodic(intervalMs: number, task: () => Promise<void>, onError: (error: unknown) => void): () => void {
  let running = false;
  const timer = setInterval(() => {
    if (running) return;
    running = true;
    task()
      .catch(onError)
      .finally(() => (running = false));
  }, intervalMs);
  timer.unref();
  return () => clearInterval(timer);
}
