import { io, type Socket } from 'socket.io-client';
import { decodeTime } from 'ulid';
import { LatencyHistogram } from '../latency-histogram.js';
import type { ChurnResult, ConnectResult, GroupStats, PageAuth, PageSpec } from './agent-protocol.js';

/** Called for every delivery of a record (a `new_msg` or `update_dynamic`) to a page of the group. */
export type DeliveryListener = (id: string, uid: string, first: boolean) => void;

export interface ConnectOptions {
  auth: PageAuth;
  readyEvent: 'connect' | 'session';
  concurrency: number;
  timeoutMs: number;
}

/** Events counted but not timed. */
const COUNTED_EVENTS = ['unread_count', 'update_online_count', 'msg_read'] as const;

/**
 * The pages an agent holds on one server (the pipeline's gateway, or a baseline's): lean
 * socket.io-client sockets like a browser's that time every record they receive. Latency is
 * receipt (`Date.now()`) minus the acceptance time in the record's ULID id: the same clock, since
 * every process runs on this machine.
 */
export class PageGroup {
  private readonly sockets: Socket[] = [];
  /** Open tabs per uid. */
  readonly tabs = new Map<string, number>();
  readonly companyOf = new Map<string, string>();
  private uidList: string[] = [];
  private readonly listeners = new Set<DeliveryListener>();
  private seen = new Set<string>();
  private histogram = new LatencyHistogram();
  private deliveries = 0;
  private firstAt = 0;
  private lastAt = 0;
  private otherEvents: Record<string, number> = {};

  /** The distinct uids with an open page here. */
  get uids(): readonly string[] {
    return this.uidList;
  }

  onDelivery(listener: DeliveryListener): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  /** Opens the pages, at most `concurrency` handshakes at a time. */
  async connect(url: string, pages: readonly PageSpec[], options: ConnectOptions): Promise<ConnectResult> {
    const started = performance.now();
    let next = 0;
    let connected = 0;
    let failed = 0;
    let firstError: string | undefined;
    const worker = async () => {
      while (next < pages.length) {
        const page = pages[next++] as PageSpec;
        try {
          this.add(page, await this.open(url, page, options));
          connected += 1;
        } catch (error) {
          failed += 1;
          firstError ??= (error as Error).message;
        }
      }
    };
    await Promise.all(Array.from({ length: Math.max(1, options.concurrency) }, worker));
    this.uidList = [...this.tabs.keys()];
    return { connected, failed, firstError, elapsedMs: performance.now() - started };
  }

  disconnect(): void {
    for (const socket of this.sockets.splice(0)) socket.disconnect();
    this.tabs.clear();
    this.companyOf.clear();
    this.uidList = [];
  }

  /** Starts a new measurement: forgets what was received so far. */
  reset(): void {
    this.seen = new Set();
    this.histogram = new LatencyHistogram();
    this.deliveries = 0;
    this.firstAt = 0;
    this.lastAt = 0;
    this.otherEvents = {};
  }

  /**
   * Every page marks all its messages read (`read {all: true}`, with an ack) every `everyMs`,
   * staggered, for `durationMs`: writes from the gateway that meet the worker's at the store.
   */
  async churn(everyMs: number, durationMs: number): Promise<ChurnResult> {
    const acks = new LatencyHistogram();
    let failed = 0;
    const endAt = Date.now() + durationMs;
    const one = (socket: Socket) =>
      new Promise<void>((resolve) => {
        const sent = performance.now();
        socket.timeout(10_000).emit('read', { all: true }, (error: Error | null, ack: unknown) => {
          if (error || (typeof ack === 'object' && ack !== null && 'error' in ack)) failed += 1;
          else acks.record(performance.now() - sent);
          resolve();
        });
      });
    await Promise.all(
      this.sockets.map(async (socket, index) => {
        await new Promise((resolve) => setTimeout(resolve, (index * everyMs) / Math.max(1, this.sockets.length)));
        while (Date.now() < endAt) {
          const next = Date.now() + everyMs;
          await one(socket);
          await new Promise((resolve) => setTimeout(resolve, Math.max(0, next - Date.now())));
        }
      }),
    );
    return { acks: acks.snapshot(), failed };
  }

  stats(): GroupStats {
    return {
      deliveries: this.deliveries,
      records: this.seen.size,
      firstAt: this.firstAt,
      lastAt: this.lastAt,
      latency: this.histogram.snapshot(),
      otherEvents: { ...this.otherEvents },
      pages: this.sockets.length,
    };
  }

  private open(url: string, page: PageSpec, options: ConnectOptions): Promise<Socket> {
    const socket = io(url, {
      transports: ['websocket'],
      forceNew: true,
      reconnection: false,
      timeout: options.timeoutMs,
      auth: options.auth === 'token' ? { token: page.token } : { uid: page.uid, companyID: page.companyID },
    });
    // Listeners first: not even the first event after the handshake is missed.
    const onRecord = (record: { id: string; replayed?: boolean }) => {
      if (!record.replayed) this.received(record.id, page.uid);
    };
    socket.on('new_msg', onRecord);
    socket.on('update_dynamic', onRecord);
    for (const name of COUNTED_EVENTS) socket.on(name, () => (this.otherEvents[name] = (this.otherEvents[name] ?? 0) + 1));
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => fail(new Error(`page ${page.uid} not open within ${options.timeoutMs} ms`)), options.timeoutMs);
      const done = () => {
        clearTimeout(timer);
        socket.off('connect_error', fail);
        resolve(socket);
      };
      function fail(error: Error) {
        clearTimeout(timer);
        socket.disconnect();
        reject(error);
      }
      socket.once('connect_error', fail);
      if (options.readyEvent === 'connect') {
        socket.once('connect', done);
        return;
      }
      // The session is open once the page has its own unread count and an online count.
      let pending = 2;
      const one = () => {
        pending -= 1;
        if (pending === 0) done();
      };
      socket.once('unread_count', one);
      socket.once('update_online_count', one);
    });
  }

  private add(page: PageSpec, socket: Socket): void {
    this.sockets.push(socket);
    this.tabs.set(page.uid, (this.tabs.get(page.uid) ?? 0) + 1);
    this.companyOf.set(page.uid, page.companyID);
  }

  private received(id: string, uid: string): void {
    const now = Date.now();
    this.deliveries += 1;
    if (this.firstAt === 0) this.firstAt = now;
    this.lastAt = now;
    this.histogram.record(now - decodeTime(id));
    const first = !this.seen.has(id);
    if (first) this.seen.add(id);
    for (const listener of this.listeners) listener(id, uid, first);
  }
}
