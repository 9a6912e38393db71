import { io } from 'socket.io-client';
import { LatencyHistogram } from '../latency-histogram.js';
import type { PageSpec, ReplayResult } from './agent-protocol.js';

/**
 * Logs `logins` pages in one after another (cycling through `users`) with the older pages' `login`
 * event, and times login → `unread_count`: the gateway sends it after the last replayed `new_msg`,
 * so this is the whole replay as a page sees it (token check, presence, store reads, emits).
 */
export async function probeReplay(url: string, users: readonly PageSpec[], logins: number, timeoutMs: number): Promise<ReplayResult> {
  const latency = new LatencyHistogram();
  const replayedPerLogin: number[] = [];
  let failed = 0;
  let firstError: string | undefined;
  for (let n = 0; n < logins && users.length > 0; n += 1) {
    try {
      const { ms, replayed } = await loginOnce(url, users[n % users.length] as PageSpec, timeoutMs);
      latency.record(ms);
      replayedPerLogin.push(replayed);
    } catch (error) {
      failed += 1;
      firstError ??= (error as Error).message;
    }
  }
  return { latency: latency.snapshot(), replayedPerLogin, failed, firstError };
}

function loginOnce(url: string, user: PageSpec, timeoutMs: number): Promise<{ ms: number; replayed: number }> {
  const socket = io(url, { transports: ['websocket'], forceNew: true, reconnection: false, timeout: timeoutMs });
  return new Promise((resolve, reject) => {
    let sentAt = 0;
    let replayed = 0;
    const timer = setTimeout(() => finish(new Error(`login of ${user.uid} not replayed within ${timeoutMs} ms`)), timeoutMs);
    const finish = (error?: Error) => {
      clearTimeout(timer);
      const ms = performance.now() - sentAt;
      socket.disconnect();
      if (error) reject(error);
      else resolve({ ms, replayed });
    };
    socket.on('new_msg', (message: { replayed?: boolean }) => {
      if (message.replayed) replayed += 1;
    });
    socket.once('unread_count', () => finish());
    socket.once('connect_error', (error) => finish(error));
    socket.once('connect', () => {
      sentAt = performance.now();
      socket.emit('login', { uid: user.uid, companyID: user.companyID, token: user.token });
    });
  });
}
