import { ErrorCode, type ApiErrorBody } from '@notify/contracts';
import type { Logger } from '@notify/observability';
import { errorAck, replyTo } from './error-ack.js';

/** A client → server event handler: the payload, and the client's ack if it sent one. */
export type EventHandler<Ack> = (payload: unknown, ack?: (result: Ack) => void) => void | Promise<void>;

/**
 * Wraps a socket event handler for `socket.on`:
 * - socket.io passes a client's ack callback as the event's *last* argument, so `emit('read', ack)`
 *   arrives as `(ack)` and `emit('read', payload, 'extra', ack)` as four arguments. The handler
 *   always gets `(payload, ack)`: the first argument unless it is the ack, and the last if it is a function.
 * - Nothing the handler throws, synchronously or in a rejected promise, reaches the process: Node
 *   ends a process on an unhandled rejection, which would drop every page on this gateway because
 *   of one bad event. The error is logged and the ack (if any, and not yet answered; socket.io
 *   ignores a second answer) gets `internal`.
 */
export function guardedHandler<Ack>(logger: Logger, event: string, handler: EventHandler<Ack>): (...args: unknown[]) => void {
  return (...args) => {
    const last = args.at(-1);
    const ack = typeof last === 'function' ? (last as (result: Ack | ApiErrorBody) => void) : undefined;
    const payload = ack && args.length === 1 ? undefined : args[0];
    const fail = (error: unknown) => {
      logger.error({ err: error, event }, `the ${event} handler failed`);
      replyTo<ApiErrorBody>(ack)(errorAck(ErrorCode.internal, 'internal error'));
    };
    try {
      const result = handler(payload, ack);
      if (result) result.catch(fail);
    } catch (error) {
      fail(error);
    }
  };
}
