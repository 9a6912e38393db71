import { ErrorCode, type ApiErrorBody } from '@notify/contracts';
import type { Logger } from '@notify/observability';
import { errorAck } from './error-ack.js';

/**
 * A client → server event handler: the payload, and `reply`, which answers the client's ack
 * (a no-op when the client sent none).
 */
export type EventHandler<Ack> = (payload: unknown, reply: (result: Ack) => void) => void | Promise<void>;

/**
 * Wraps a socket event handler for `socket.on`:
 * - socket.io passes a client's ack callback as the event's *last* argument, so `emit('read', ack)`
 *   arrives as `(ack)` and `emit('read', payload, 'extra', ack)` as four arguments. The handler
 *   always gets `(payload, reply)`: the first argument unless it is the ack, and a `reply` that calls
 *   the last argument if it is a function and does nothing otherwise.
 * - Nothing the handler throws, synchronously or in a rejected promise, reaches the process: Node
 *   ends a process on an unhandled rejection, which would drop every page on this gateway because
 *   of one bad event. The error is logged and the ack (if any, and not yet answered; socket.io
 *   ignores a second answer) gets `internal`.
 */
export function guardedHandler<Ack>(logger: Logger, event: string, handler: EventHandler<Ack>): (...args: unknown[]) => void {
  return (...args) => {
    const last = args.at(-1);
    const payload = typeof last === 'function' && args.length === 1 ? undefined : args[0];
    const reply = replyTo<Ack | ApiErrorBody>(last);
    const fail = (error: unknown) => {
      logger.error({ err: error, event }, `the ${event} handler failed`);
      reply(errorAck(ErrorCode.internal, 'internal error'));
    };
    try {
      const result = handler(payload, reply);
      if (result) result.catch(fail);
    } catch (error) {
      fail(error);
    }
  };
}

/** Calls a client's ack callback if it sent one; clients are free not to. */
function replyTo<T>(ack: unknown): (result: T) => void {
  return typeof ack === 'function' ? (ack as (result: T) => void) : () => undefined;
}
