import type { z } from 'zod';
import { ErrorCode, toIssues, type ApiErrorBody, type ClientToServerEvents } from '@notify/contracts';
import type { BrowserIdentity } from '@notify/auth';
import type { HandlerDeps } from './gateway-deps.js';
import type { GatewaySocket } from './gateway-types.js';
import { errorAck } from './error-ack.js';
import { guardedHandler } from './guarded-handler.js';

/**
 * Registers a page's request `event`: refused with `unauthorized` before the socket has logged in,
 * its payload parsed with `schema` (an absent payload counts as `{}`), then `run` with the
 * socket's own identity, never with one the payload names. Its answer, or `invalid_input` with
 * every problem, or `unavailable` when the store or Redis fails, goes back in the ack.
 */
export function onIdentifiedRequest<S extends z.ZodType, T>(
  deps: HandlerDeps,
  socket: GatewaySocket,
  event: keyof ClientToServerEvents,
  schema: S,
  usage: string,
  run: (identity: BrowserIdentity, input: z.infer<S>) => Promise<T>,
): void {
  socket.on(
    event,
    guardedHandler<T | ApiErrorBody>(deps.logger, event, async (payload, reply) => {
      const identity = socket.data.identity;
      if (!identity) {
        reply(errorAck(ErrorCode.unauthorized, 'login first'));
        return;
      }
      const input = schema.safeParse(payload ?? {});
      if (!input.success) {
        reply(errorAck(ErrorCode.invalidInput, usage, toIssues(input.error)));
        return;
      }
      let answer: T;
      try {
        answer = await run(identity, input.data);
      } catch (error) {
        deps.logger.warn({ err: error, uid: identity.uid, event }, `${event} failed`);
        reply(errorAck(ErrorCode.unavailable, 'the store or Redis is unreachable; retry later'));
        return;
      }
      reply(answer);
    }),
  );
}
