import type { Logger } from 'pino';

interface ErrorEmitter {
  on(event: 'error', listener: (error: Error) => void): unknown;
}

/**
 * Logs a connection's `'error'` events at most once per `everyMs` (default 5 s): a Redis outage
 * makes ioredis emit one per reconnect attempt, and an unhandled one would crash the process.
 */
export function logConnectionErrors(logger: Logger, what: string, emitter: ErrorEmitter, everyMs = 5000): void {
  let last = 0;
  emitter.on('error', (error) => {
    const now = Date.now();
    if (now - last < everyMs) return;
    last = now;
    logger.warn({ err: error }, `${what}: ${error.message}`);
  });
}
