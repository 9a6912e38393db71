import { io, type Socket } from 'socket.io-client';
import type { NewMessageEvent } from '@notify/contracts';

/** A page that keeps counts instead of every payload: for load and soak runs, where recording would grow without bound. */
export interface CountingPage {
  /** How many times each server event arrived. */
  readonly counts: Readonly<Record<string, number>>;
  readonly connected: boolean;
  close(): void;
}

export interface CountingPageOptions {
  /** Give up connecting after this many ms. Default 10 s. */
  timeoutMs?: number;
  /** Called with every `new_msg` (e.g. to measure delivery lag from its `date`). */
  onNewMessage?: (message: NewMessageEvent) => void;
  /** Reconnect after a lost connection. Default true. */
  reconnection?: boolean;
}

/** Opens a socket.io page authenticated with `token` (websocket only) and resolves once it is connected. */
export function openCountingPage(gatewayUrl: string, token: string, options: CountingPageOptions = {}): Promise<CountingPage> {
  const counts: Record<string, number> = {};
  const socket: Socket = io(gatewayUrl, {
    transports: ['websocket'],
    forceNew: true,
    reconnection: options.reconnection ?? true,
    auth: { token },
  });
  socket.onAny((event: string, payload: unknown) => {
    counts[event] = (counts[event] ?? 0) + 1;
    if (event === 'new_msg') options.onNewMessage?.(payload as NewMessageEvent);
  });
  const page: CountingPage = {
    counts,
    get connected() {
      return socket.connected;
    },
    close: () => void socket.close(),
  };
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      socket.close();
      reject(new Error(`no connection to ${gatewayUrl} within ${options.timeoutMs ?? 10_000} ms`));
    }, options.timeoutMs ?? 10_000);
    socket.once('connect', () => {
      clearTimeout(timer);
      resolve(page);
    });
    socket.once('connect_error', (error) => {
      clearTimeout(timer);
      socket.close();
      reject(error);
    });
  });
}
