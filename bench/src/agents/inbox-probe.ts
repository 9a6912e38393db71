import { io, type Socket } from 'socket.io-client';
import { LatencyHistogram } from '../latency-histogram.js';
import type { InboxProbeResult, InboxProbeUser } from './agent-protocol.js';

/**
 * Times a page's own requests, each a round trip on loopback (the gateway's work, the answer's
 * transfer and its parsing here): `list_messages` (the first page of 20) for every user, and
 * `catch_up` from `catchUpFrom` for users that have one. One page per user, opened first with
 * `auth.replay: false`; `rounds` passes over the users, one request at a time.
 */
export async function probeInbox(url: string, users: readonly InboxProbeUser[], rounds: number, timeoutMs: number): Promise<InboxProbeResult> {
  const list = new LatencyHistogram();
  const catchUp = new LatencyHistogram();
  const catchUpItems: number[] = [];
  let failed = 0;
  let firstError: string | undefined;
  const sockets = await Promise.all(users.map((user) => openPage(url, user, timeoutMs)));
  try {
    for (let round = 0; round < rounds; round += 1) {
      for (const [index, user] of users.entries()) {
        const socket = sockets[index] as Socket;
        try {
          const listed = await timed(socket, 'list_messages', { limit: 20 }, timeoutMs);
          list.record(listed.ms);
          if (user.catchUpFrom === undefined) continue;
          const caught = await timed(socket, 'catch_up', { messages: { oldest: user.catchUpFrom } }, timeoutMs);
          const answer = caught.ack as { messages?: { complete: boolean; items?: unknown[] } };
          if (!answer.messages?.complete) throw new Error(`catch_up of ${user.uid} was not complete: ${JSON.stringify(caught.ack).slice(0, 200)}`);
          catchUp.record(caught.ms);
          catchUpItems.push(answer.messages.items?.length ?? 0);
        } catch (error) {
          failed += 1;
          firstError ??= (error as Error).message;
        }
      }
    }
  } finally {
    for (const socket of sockets) socket.disconnect();
  }
  return { list: list.snapshot(), catchUp: catchUp.snapshot(), catchUpItems, failed, firstError };
}

function openPage(url: string, user: InboxProbeUser, timeoutMs: number): Promise<Socket> {
  const socket = io(url, { transports: ['websocket'], forceNew: true, reconnection: false, timeout: timeoutMs, auth: { token: user.token, replay: false } });
  return new Promise((resolve, reject) => {
    // The session is open once the gateway has sent the page its counts.
    socket.once('unread_count', () => resolve(socket));
    socket.once('connect_error', (error) => reject(error));
  });
}

function timed(socket: Socket, event: string, payload: unknown, timeoutMs: number): Promise<{ ms: number; ack: unknown }> {
  const started = performance.now();
  return new Promise((resolve, reject) => {
    socket.timeout(timeoutMs).emit(event, payload, (error: Error | null, ack: unknown) => {
      if (error) return reject(new Error(`no ack for ${event} within ${timeoutMs} ms`));
      if (typeof ack === 'object' && ack !== null && 'error' in ack) return reject(new Error(`${event}: ${JSON.stringify(ack)}`));
      resolve({ ms: performance.now() - started, ack });
    });
  });
}
