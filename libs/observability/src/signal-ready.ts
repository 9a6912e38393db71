import type { Logger } from 'pino';

/** What {@link signalReady} sends its parent process (the launcher's `startApp` waits for it). */
export interface ReadyMessage {
  type: 'notify:ready';
  /** The bound HTTP port (useful when the app was asked for port 0). */
  port: number;
}

/**
 * Says that the process serves: an info `ready` line with `fields` for people and log pipelines,
 * and, when a parent spawned it with an IPC channel (the launcher and the test harness do), a
 * {@link ReadyMessage} on that channel. The message does not depend on `LOG_LEVEL` or
 * `LOG_FORMAT`, so `LOG_LEVEL=warn` (which drops the line) still starts.
 */
export function signalReady(logger: Logger, fields: { port: number } & Record<string, unknown>): void {
  logger.info(fields, 'ready');
  if (!process.send) return;
  const message: ReadyMessage = { type: 'notify:ready', port: fields.port };
  // A parent that has gone already is no reason to fail; the callback keeps the error from being thrown.
  process.send(message, undefined, {}, () => undefined);
  // The channel must not keep the process alive: it ends on a signal as it would without a parent.
  process.channel?.unref();
}
