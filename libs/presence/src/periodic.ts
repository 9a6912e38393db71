/**
 * Runs `task` every `intervalMs` on an unref'd timer (it never keeps the process alive), skipping a
 * tick while the previous run is still going so a slow Redis does not pile runs up. Failures go to
 * `onError`; the schedule continues. Returns a function that stops it and resolves once the run in
 * progress, if any, has ended, so its owner can close the connection the task uses without
 * cutting a run off halfway.
 */
export function periodic(intervalMs: number, task: () => Promise<void>, onError: (error: unknown) => void): () => Promise<void> {
  let running: Promise<void> | undefined;
  const timer = setInterval(() => {
    if (running) return;
    running = task()
      .catch(onError)
      .finally(() => (running = undefined));
  }, intervalMs);
  timer.unref();
  return async () => {
    clearInterval(timer);
    await running;
  };
}
