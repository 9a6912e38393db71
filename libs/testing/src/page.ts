import { io, type Socket } from 'socket.io-client';
import type { ClientToServerEvents, LoginAck, ServerToClientEvents } from '@notify/contracts';

export type PageSocket = Socket<ServerToClientEvents, ClientToServerEvents>;
export type ServerEventName = keyof ServerToClientEvents;
/** What the gateway sends with `E`, as received (not validated). */
export type ServerEventPayload<E extends ServerEventName> = Parameters<ServerToClientEvents[E]>[0];
export type ClientEventName = keyof ClientToServerEvents;
/** What the gateway acks `E` with. */
export type ClientEventAck<E extends ClientEventName> = Parameters<NonNullable<Parameters<ClientToServerEvents[E]>[1]>>[0];

/**
 * How the page authenticates: a browser token in the handshake; the older pages' `login` event
 * (emitted again on every reconnection, as those pages do); or not at all.
 */
export type HowToConnect = { token: string } | { login: Record<string, unknown> } | { raw: true };

export interface OpenPageOptions {
  /** Reconnect after a lost connection, as a real page does. Default false. */
  reconnection?: boolean;
  /** Give up connecting (and logging in) after this many ms. Default 5 s. */
  timeoutMs?: number;
  /**
   * `{login}` only: pass an ack callback with `login` and count the page open when the ack comes.
   * When false (as the older pages did), it counts as open at the first event the gateway sends
   * after the login. Default true.
   */
  loginAck?: boolean;
}

/** Why a page could not be opened; `message` is the gateway's own for a refused connection (e.g. `unauthorized`). */
export class PageOpenError extends Error {
  override readonly name = 'PageOpenError';

  constructor(
    message: string,
    readonly reason: 'connect_error' | 'login_refused' | 'disconnected' | 'timeout',
    /** The error code of a refused login ack. */
    readonly code?: string,
  ) {
    super(message);
  }
}

/** A socket.io-client socket like a browser page's, recording every event the gateway sends it. */
export interface Page {
  readonly socket: PageSocket;
  /** How many times it has connected; more than 1 after a reconnection. */
  readonly connections: number;
  /** The last `login` ack, for a page opened with `{login}`. */
  readonly loginAck: LoginAck | undefined;
  /** Every `name` payload received so far, oldest first. */
  events<E extends ServerEventName>(name: E): ServerEventPayload<E>[];
  /** The first `name` payload matching `predicate`, received already or within `timeoutMs` (default 5 s). */
  waitFor<E extends ServerEventName>(
    name: E,
    predicate?: (payload: ServerEventPayload<E>) => boolean,
    timeoutMs?: number,
  ): Promise<ServerEventPayload<E>>;
  /** Every `name` payload, once there are at least `n` of them (default timeout 5 s). */
  waitForCount<E extends ServerEventName>(name: E, n: number, timeoutMs?: number): Promise<ServerEventPayload<E>[]>;
  /** Emits `event` with an ack callback and resolves with the ack; rejects after `timeoutMs` (default 5 s). */
  emitWithAck<E extends ClientEventName>(event: E, payload: unknown, timeoutMs?: number): Promise<ClientEventAck<E>>;
  /** Resolves with the reason once the socket is disconnected (at once if it is already). Default timeout 5 s. */
  waitForDisconnect(timeoutMs?: number): Promise<string>;
  /** Disconnects; safe to call twice. */
  close(): void;
}

const openPages = new Set<Page>();

class RecordingPage implements Page {
  connections = 0;
  loginAck: LoginAck | undefined;
  private readonly received = new Map<string, unknown[]>();
  private eventCount = 0;
  private eventsAtLogin = 0;
  private connectError: Error | undefined;
  private disconnectReason: string | undefined;
  /** Each re-checks its condition after anything happened on the socket. */
  private readonly waiters = new Set<() => void>();

  constructor(
    readonly socket: PageSocket,
    private readonly how: HowToConnect,
    private readonly useLoginAck: boolean,
  ) {
    // Registered before connecting, so not even the first event after the handshake is missed.
    socket.onAny((event: string, ...args: unknown[]) => {
      const list = this.received.get(event) ?? [];
      list.push(args[0]);
      this.received.set(event, list);
      this.eventCount += 1;
      this.changed();
    });
    socket.on('connect', () => {
      this.connections += 1;
      this.connectError = undefined;
      this.disconnectReason = undefined;
      if ('login' in how) this.logIn(how.login);
      this.changed();
    });
    socket.on('connect_error', (error) => {
      this.connectError = error;
      this.changed();
    });
    socket.on('disconnect', (reason) => {
      this.disconnectReason = reason;
      this.changed();
    });
  }

  /** Resolves when the page counts as open (see {@link HowToConnect}, {@link OpenPageOptions.loginAck}). */
  async opened(timeoutMs: number): Promise<void> {
    const what = 'login' in this.how ? 'the login to complete' : 'the connection';
    try {
      await this.until(() => this.openState(), timeoutMs, what);
    } catch (error) {
      throw error instanceof PageOpenError ? error : new PageOpenError((error as Error).message, 'timeout');
    }
  }

  events<E extends ServerEventName>(name: E): ServerEventPayload<E>[] {
    // Typed by the contract's event map; the payloads are as received.
    return [...(this.received.get(name) ?? [])] as ServerEventPayload<E>[];
  }

  waitFor<E extends ServerEventName>(
    name: E,
    predicate: (payload: ServerEventPayload<E>) => boolean = () => true,
    timeoutMs = 5000,
  ): Promise<ServerEventPayload<E>> {
    return this.until(
      () => {
        // By index: an event sent without a payload (`resync`) records `undefined`.
        const events = this.events(name);
        const index = events.findIndex(predicate);
        return index === -1 ? undefined : { match: events[index] as ServerEventPayload<E> };
      },
      timeoutMs,
      `a matching "${name}"`,
    ).then(({ match }) => match);
  }

  waitForCount<E extends ServerEventName>(name: E, n: number, timeoutMs = 5000): Promise<ServerEventPayload<E>[]> {
    return this.until(
      () => {
        const all = this.events(name);
        return all.length >= n ? all : undefined;
      },
      timeoutMs,
      `${n} "${name}" events`,
    );
  }

  emitWithAck<E extends ClientEventName>(event: E, payload: unknown, timeoutMs = 5000): Promise<ClientEventAck<E>> {
    return new Promise((resolve, reject) => {
      // The event map's ack parameter is optional, which socket.io's timeout() typing cannot express.
      (this.socket as unknown as Socket)
        .timeout(timeoutMs)
        .emit(event, payload, (error: Error | null, ack: ClientEventAck<E>) => {
          if (error) reject(new Error(`no ack for "${event}" within ${timeoutMs} ms`));
          else resolve(ack);
        });
    });
  }

  waitForDisconnect(timeoutMs = 5000): Promise<string> {
    return this.until(() => this.disconnectReason, timeoutMs, 'the disconnection');
  }

  close(): void {
    this.socket.close();
    openPages.delete(this);
  }

  private logIn(payload: Record<string, unknown>): void {
    this.eventsAtLogin = this.eventCount;
    if (!this.useLoginAck) {
      this.socket.emit('login', payload);
      return;
    }
    this.loginAck = undefined;
    this.socket.emit('login', payload, (ack) => {
      this.loginAck = ack;
      this.changed();
    });
  }

  /** True once open; throws when it cannot open any more. */
  private openState(): true | undefined {
    if (this.connectError) throw new PageOpenError(this.connectError.message, 'connect_error');
    if (this.connections === 0) return undefined;
    if ('login' in this.how) {
      const ack = this.loginAck;
      if (ack && 'error' in ack) {
        throw new PageOpenError(`login refused: ${ack.error.code}: ${ack.error.message}`, 'login_refused', ack.error.code);
      }
      const loggedIn = this.useLoginAck ? ack !== undefined : this.eventCount > this.eventsAtLogin;
      if (!loggedIn && this.disconnectReason !== undefined) {
        throw new PageOpenError(`disconnected before the login completed: ${this.disconnectReason}`, 'disconnected');
      }
      return loggedIn ? true : undefined;
    }
    return true;
  }

  /** Resolves with `probe()`'s first defined value; rejects if it throws or on timeout. */
  private until<T>(probe: () => T | undefined, timeoutMs: number, what: string): Promise<T> {
    return new Promise<T>((resolve, reject) => {
      const done = () => {
        clearTimeout(timer);
        this.waiters.delete(check);
      };
      const check = () => {
        try {
          const value = probe();
          if (value === undefined) return;
          done();
          resolve(value);
        } catch (error) {
          done();
          reject(error);
        }
      };
      const timer = setTimeout(() => {
        done();
        const message = `timed out after ${timeoutMs} ms waiting for ${what}; received so far: ${this.summary()}`;
        reject(new Error(message));
      }, timeoutMs);
      this.waiters.add(check);
      check();
    });
  }

  private changed(): void {
    for (const check of [...this.waiters]) check();
  }

  private summary(): string {
    const counts = [...this.received].map(([name, list]) => `${name} ×${list.length}`);
    const state = this.socket.connected ? 'connected' : `not connected${this.disconnectReason ? ` (${this.disconnectReason})` : ''}`;
    return `${counts.length ? counts.join(', ') : 'no events'}; ${state}`;
  }
}

/**
 * Opens a page: a real socket.io-client socket (websocket transport, a new connection each time)
 * to `gatewayUrl`, recording every event from before it connects. Resolves once connected, or for
 * `{login}` once logged in; rejects with a {@link PageOpenError} whose message is the gateway's
 * `connect_error` message (e.g. `unauthorized`), on a refused login or on timeout.
 */
export async function openPage(gatewayUrl: string, how: HowToConnect, options: OpenPageOptions = {}): Promise<Page> {
  const timeoutMs = options.timeoutMs ?? 5000;
  const socket: PageSocket = io(gatewayUrl, {
    transports: ['websocket'],
    reconnection: options.reconnection ?? false,
    forceNew: true,
    autoConnect: false,
    timeout: timeoutMs,
    ...('token' in how ? { auth: { token: how.token } } : {}),
  });
  const page = new RecordingPage(socket, how, options.loginAck ?? true);
  openPages.add(page);
  socket.connect();
  try {
    await page.opened(timeoutMs);
  } catch (error) {
    page.close();
    throw error;
  }
  return page;
}

/** Closes every page {@link openPage} opened and that is still open; for `afterEach`. */
export function closeAllPages(): void {
  for (const page of [...openPages]) page.close();
}
