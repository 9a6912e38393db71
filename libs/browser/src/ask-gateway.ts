import type { Socket } from 'socket.io-client';
import type { ClientToServerEvents, ServerToClientEvents } from '@notify/contracts';
import { InboxError } from './inbox-error.js';
import { asErrorAck } from './payload-checks.js';

export type InboxSocket = Socket<ServerToClientEvents, ClientToServerEvents>;
/** A request or change a page sends with an ack. */
export type AskEvent = Exclude<keyof ClientToServerEvents, 'login'>;

/**
 * Emits `event` with `payload` and resolves with the gateway's ack (to be checked by the caller);
 * rejects with an {@link InboxError}: the gateway's own code when it refused, `no_answer` after
 * `timeoutMs` or when the connection drops first, `offline` (nothing sent) when not connected.
 */
export function askGateway(socket: InboxSocket, timeoutMs: number, event: AskEvent, payload: unknown): Promise<unknown> {
  return new Promise((resolve, reject) => {
    if (!socket.connected) {
      reject(new InboxError('offline', `not connected to the gateway: ${event} was not sent`, event));
      return;
    }
    // socket.io-client's types cannot put the timeout's error in front of an optional ack; every answer is checked by hand.
    const timed = socket.timeout(timeoutMs) as unknown as {
      emit(event: string, payload: unknown, ack: (error: Error | null, answer: unknown) => void): void;
    };
    timed.emit(event, payload, (error, answer) => {
      if (error) {
        reject(new InboxError('no_answer', `no answer from the gateway to ${event} (${error.message})`, event));
        return;
      }
      const refused = asErrorAck(answer);
      if (refused) reject(new InboxError(refused.code, refused.message, event, refused.issues));
      else resolve(answer);
    });
  });
}
