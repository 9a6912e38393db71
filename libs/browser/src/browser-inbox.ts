import { io } from 'socket.io-client';
import type { CatchUpRequest, Dynamic, InboxCounts, Message, MessageChange, Page, ServerToClientEvents, SessionEndReason } from '@notify/contracts';
import { askGateway, type AskEvent, type InboxSocket } from './ask-gateway.js';
import { Backoff } from './backoff.js';
import { Emitter } from './emitter.js';
import { EventLog } from './event-log.js';
import { InboxError, toInboxError } from './inbox-error.js';
import type { ConnectionStatus, InboxEvents, InboxOptions, InboxSnapshot } from './inbox-types.js';
import { applyChange, clearingDelta, covers, deltaOf, NO_COUNTS, withDeltas, type ChangeTarget, type CountsDelta } from './message-changes.js';
import { PagedList } from './paged-list.js';
import { asCatchUpList, asCounts, asDynamic, asIds, asMessage, asPage, isCount, isObject } from './payload-checks.js';
import { PendingChanges } from './pending-changes.js';
import { TokenKeeper } from './token-keeper.js';
import { TokenRefresher } from './token-refresher.js';

type Selector = { ids: string[] } | { upTo: string } | { all: true };
type TimerName = 'retry' | 'sync';

/** The server event that announces each change, and the change. */
const CHANGE_EVENTS = [
  ['msg_read', 'read'],
  ['msg_seen', 'seen'],
  ['msg_unread', 'unread'],
  ['msg_archived', 'archive'],
  ['msg_unarchived', 'unarchive'],
  ['msg_deleted', 'delete'],
] as const satisfies readonly (readonly [keyof ServerToClientEvents, MessageChange])[];

/** The gateway takes at most this many ids in one selector. */
const IDS_PER_CHANGE = 1000;
/** How many announced ids are remembered, so an at-least-once duplicate is not announced twice. */
const ANNOUNCED_MAX = 2000;

const pageSize = (value: number | undefined) => Math.min(100, Math.max(1, Math.floor(value ?? 20)));

/**
 * A user's inbox in a page: one socket.io connection to the gateway, authenticated with tokens
 * from the page's provider and refreshed on the live connection; the message list (newest first,
 * one per id, live and loaded merged), the counts, the company's activity feed and online count;
 * the page's changes applied at once and rolled back when refused; caught up after every
 * reconnection. Bind a view with {@link subscribe} and {@link getSnapshot}; react to arrivals with
 * {@link on}.
 */
export class BrowserInbox extends Emitter<InboxEvents> {
  private readonly socket: InboxSocket;
  private readonly tokens: TokenKeeper;
  private readonly refresher: TokenRefresher;
  private readonly feed: boolean;
  private readonly pageSize: number;
  private readonly feedPageSize: number;
  private readonly ackTimeoutMs: number;

  private readonly messages = new PagedList<Message>();
  private readonly dynamics = new PagedList<Dynamic>();
  private counts: InboxCounts = NO_COUNTS;
  private onlineCount: number | undefined;
  private readonly pending = new PendingChanges();
  private readonly log = new EventLog();
  private readonly announced = new Set<string>();

  private status: ConnectionStatus = 'connecting';
  private complete = false;
  private error: InboxError | undefined;
  private sessionEnded: SessionEndReason | undefined;
  /** `session_ended` arrived; the disconnect that follows it is handled by its reason. */
  private ending: SessionEndReason | undefined;
  /** Why the token provider failed for the last handshake, to tell the page instead of "unauthorized". */
  private tokenError: InboxError | undefined;
  private everConnected = false;
  private closed = false;
  private syncing = false;
  private syncAgain = false;
  private readonly timers = new Map<TimerName, ReturnType<typeof setTimeout>>();
  private readonly connectBackoff = new Backoff();
  private readonly syncBackoff = new Backoff();

  private snapshot: InboxSnapshot | undefined;
  private view: { of: readonly Message[]; revision: number; messages: readonly Message[] } | undefined;
  private user: InboxSnapshot['user'];
  private readonly listeners = new Set<() => void>();
  private notifyQueued = false;

  constructor(options: InboxOptions) {
    super();
    this.tokens = new TokenKeeper(options.token, Math.min(0.95, Math.max(0.1, options.refreshAt ?? 0.8)));
    this.feed = options.feed ?? true;
    this.pageSize = pageSize(options.pageSize);
    this.feedPageSize = pageSize(options.feedPageSize);
    this.ackTimeoutMs = options.ackTimeoutMs ?? 10_000;
    this.socket = io(options.url, {
      ...options.socketOptions,
      forceNew: true,
      autoConnect: false,
      // Called for every connection attempt, socket.io's own reconnections included: the held token while it is not due, else a new one.
      auth: (send) => {
        this.tokens.forConnection().then(
          (token) => send({ token, replay: false }),
          (error: unknown) => {
            this.tokenError = toInboxError(error, 'token');
            send({ token: '', replay: false }); // refused as unauthorized; connect_error reports tokenError
          },
        );
      },
    });
    const socket = this.socket;
    this.refresher = new TokenRefresher(this.tokens, {
      get connected() {
        return socket.connected;
      },
      send: (token) => this.ask('refresh_token', { token }),
      fail: (error) => this.fail(error),
    });
    this.listen();
    if (options.autoConnect ?? true) this.connect();
  }

  /** Calls `listener` after every change of the snapshot; returns a function that stops it. */
  subscribe = (listener: () => void): (() => void) => {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  };

  /** The state now: the same object until something changes (so `useSyncExternalStore` can compare it). */
  getSnapshot = (): InboxSnapshot => {
    this.snapshot ??= Object.freeze({
      status: this.status,
      complete: this.complete,
      user: this.currentUser(),
      messages: this.shownMessages(),
      hasMoreMessages: this.messages.hasMore,
      loadingMessages: this.messages.loading !== undefined,
      counts: withDeltas(this.counts, this.pending.deltas()),
      dynamics: this.dynamics.records.items,
      hasMoreDynamics: this.dynamics.hasMore,
      loadingDynamics: this.dynamics.loading !== undefined,
      onlineCount: this.onlineCount,
      pendingChanges: this.pending.size,
      error: this.error,
      sessionEnded: this.sessionEnded,
    });
    return this.snapshot;
  };

  /** Connects (again, after `ended` or `close()`); a no-op while connected. */
  connect(): void {
    if (this.socket.connected) return;
    this.closed = false;
    this.clearTimer('retry');
    if (this.status === 'ended' || this.status === 'closed') this.setStatus(this.everConnected ? 'reconnecting' : 'connecting');
    this.socket.connect();
  }

  /** Disconnects and stops every timer, until `connect()`; the snapshot stays readable. */
  close(): void {
    if (this.closed) return;
    this.closed = true;
    for (const name of [...this.timers.keys()]) this.clearTimer(name);
    this.refresher.stop();
    this.socket.disconnect();
    this.complete = false;
    this.setStatus('closed');
  }

  /** Forgets the last error (`snapshot.error`). */
  clearError(): void {
    this.error = undefined;
    this.changed();
  }

  /** Marks messages read (and so seen). Resolves with how many changed; rejects with an {@link InboxError} when refused (the change is rolled back). */
  markRead(ids: string | Iterable<string>): Promise<number> {
    return this.changeIds('read', ids);
  }

  markUnread(ids: string | Iterable<string>): Promise<number> {
    return this.changeIds('unread', ids);
  }

  markSeen(ids: string | Iterable<string>): Promise<number> {
    return this.changeIds('seen', ids);
  }

  archive(ids: string | Iterable<string>): Promise<number> {
    return this.changeIds('archive', ids);
  }

  unarchive(ids: string | Iterable<string>): Promise<number> {
    return this.changeIds('unarchive', ids);
  }

  delete(ids: string | Iterable<string>): Promise<number> {
    return this.changeIds('delete', ids);
  }

  /** Marks read every message up to the newest one the inbox holds (`{upTo}`): not one that arrives meanwhile. */
  markAllRead(): Promise<number> {
    return this.changeAll('read');
  }

  /** Marks seen every message up to the newest one held: the user has opened the inbox. */
  markAllSeen(): Promise<number> {
    return this.changeAll('seen');
  }

  /** Loads the next older page of messages (a no-op when there is none, or while one is loading). */
  loadMore(): Promise<void> {
    return this.loadOlder(this.messages, 'list_messages', this.pageSize, asMessage);
  }

  /** Loads the next older page of the activity feed. */
  loadMoreDynamics(): Promise<void> {
    return this.feed ? this.loadOlder(this.dynamics, 'list_dynamics', this.feedPageSize, asDynamic) : Promise.resolve();
  }

  // ---- the socket -------------------------------------------------------------------------------

  private listen(): void {
    const socket = this.socket;
    socket.on('connect', () => this.onConnect());
    socket.on('connect_error', (error) => this.onConnectError(error));
    socket.on('disconnect', (reason) => this.onDisconnect(reason));
    socket.on('session_ended', (ended: unknown) => {
      const reason = isObject(ended) ? ended.reason : undefined;
      this.ending = typeof reason === 'string' ? (reason as SessionEndReason) : undefined;
    });
    socket.on('new_msg', (payload: unknown) => this.onNewMessage(payload));
    socket.on('update_dynamic', (payload: unknown) => this.onNewDynamic(payload));
    socket.on('unread_count', (payload: unknown) => this.takeAnyCounts(payload));
    socket.on('update_online_count', (count: unknown) => {
      if (!isCount(count)) return;
      this.onlineCount = count;
      this.changed();
    });
    for (const [event, change] of CHANGE_EVENTS) socket.on(event, (payload: unknown) => this.onChanged(change, payload));
    socket.on('resync', () => {
      this.complete = false;
      void this.sync();
    });
  }

  private onConnect(): void {
    this.everConnected = true;
    this.connectBackoff.reset();
    this.clearTimer('retry');
    this.sessionEnded = undefined;
    if (this.error?.action === 'connect' || this.error?.action === 'token') this.error = undefined;
    this.refresher.start();
    this.setStatus('connected');
    void this.sync();
  }

  private onConnectError(error: Error): void {
    if (this.closed) return;
    this.setStatus(this.everConnected ? 'reconnecting' : 'connecting');
    // A transport error: socket.io tries again by itself.
    if (this.socket.active) return;
    // The gateway refused the handshake (its token): socket.io leaves the retry to us, with a new token.
    this.tokens.forget();
    const refused = error.message === 'unauthorized' ? 'unauthorized' : 'refused';
    this.fail(this.tokenError ?? new InboxError(refused, `the gateway refused the connection (${error.message})`, 'connect'));
    this.tokenError = undefined;
    this.setTimer('retry', () => this.connect(), this.connectBackoff.next());
  }

  private onDisconnect(reason: string): void {
    this.complete = false;
    this.refresher.stop();
    this.clearTimer('sync');
    const ending = this.ending;
    this.ending = undefined;
    if (this.closed || reason === 'io client disconnect') {
      this.changed();
      return;
    }
    if (ending) {
      this.sessionEnded = ending;
      this.emit('session_ended', ending);
    }
    if (ending === 'revoked' || ending === 'identity_mismatch') {
      // Cut off, or a page bug: reconnecting with the tokens it has would not help. The page decides.
      this.socket.disconnect();
      this.setStatus('ended');
      return;
    }
    this.setStatus('reconnecting');
    if (ending === 'token_expired') this.tokens.forget();
    // socket.io reconnects by itself after a network drop, but not after the gateway disconnected the socket.
    if (reason === 'io server disconnect') {
      if (ending === 'token_expired') this.connect();
      else this.setTimer('retry', () => this.connect(), this.connectBackoff.next());
    }
  }

  // ---- events -----------------------------------------------------------------------------------

  private onNewMessage(payload: unknown): void {
    const message = asMessage(payload);
    if (!message) return;
    const isNew = !this.messages.records.has(message.id) && !this.announced.has(message.id);
    this.log.apply(() => this.takeLiveMessage(message));
    if (isNew && !message.isArchived && !(isObject(payload) && payload.replayed === true)) {
      this.remember(message.id);
      this.emit('message', message);
    }
    this.changed();
  }

  private takeLiveMessage(message: Message): void {
    const list = this.messages;
    // A retried job announces the message as stored now: an archived one is out of the inbox.
    if (message.isArchived) list.records.delete(message.id);
    else if (!list.records.has(message.id) && list.inRange(message.id)) list.records.set(message);
  }

  private onNewDynamic(payload: unknown): void {
    const dynamic = asDynamic(payload);
    if (!dynamic || !this.feed) return;
    const isNew = !this.dynamics.records.has(dynamic.id) && !this.announced.has(dynamic.id);
    this.log.apply(() => {
      if (!this.dynamics.records.has(dynamic.id) && this.dynamics.inRange(dynamic.id)) this.dynamics.records.set(dynamic);
    });
    if (isNew) {
      this.remember(dynamic.id);
      this.emit('dynamic', dynamic);
    }
    this.changed();
  }

  private onChanged(change: MessageChange, payload: unknown): void {
    const target = targetOf(payload);
    if (!target) return;
    this.log.apply(() => this.confirm(change, target));
    // Unarchived messages come back into the inbox, but the event carries only their ids: a
    // catch-up brings those the inbox's range should hold.
    if (change === 'unarchive' && 'ids' in target && [...target.ids].some((id) => !this.messages.records.has(id) && this.messages.inRange(id))) {
      void this.sync();
    }
    this.changed();
  }

  /** Applies a change the gateway made to the confirmed messages. */
  private confirm(change: MessageChange, target: ChangeTarget): void {
    const records = this.messages.records;
    const covered = 'ids' in target ? [...target.ids].flatMap((id) => records.get(id) ?? []) : records.items.filter((message) => covers(target, message));
    for (const message of covered) {
      const next = applyChange(message, change);
      if (!next) records.delete(message.id);
      else if (next !== message) records.set(Object.freeze(next));
    }
  }

  private takeAnyCounts(payload: unknown): void {
    const counts = asCounts(payload);
    if (counts) this.takeCounts(counts);
  }

  private takeCounts(counts: InboxCounts): void {
    // Counts come from several processes in any order: the highest version is the newest.
    if (counts.version < this.counts.version) return;
    this.counts = counts;
    this.pending.countsArrived(counts.version);
    this.changed();
  }

  private remember(id: string): void {
    this.announced.add(id);
    if (this.announced.size > ANNOUNCED_MAX) this.announced.delete(this.announced.values().next().value as string);
  }

  // ---- catching up ------------------------------------------------------------------------------

  /**
   * Brings the lists to what the gateway holds: `catch_up` over the range held (or, for a list
   * never loaded, or one the gateway says is too far behind, its first page), then applies again
   * every event that arrived meanwhile. Runs after every connection and on `resync`; retried with
   * a growing delay when a request fails.
   */
  private async sync(): Promise<void> {
    if (this.closed || !this.socket.connected) return;
    if (this.syncing) {
      this.syncAgain = true;
      return;
    }
    this.syncing = true;
    this.clearTimer('sync');
    const mark = this.log.mark();
    try {
      do {
        this.syncAgain = false;
        await this.catchUp(mark);
      } while (this.syncAgain && this.socket.connected);
      this.syncBackoff.reset();
      this.complete = this.socket.connected;
    } catch (error) {
      // Disconnected meanwhile: the next connection syncs again.
      if (this.socket.connected) {
        this.fail(toInboxError(error, 'catch_up'));
        this.setTimer('sync', () => void this.sync(), this.syncBackoff.next());
      }
    } finally {
      this.log.release();
      this.syncing = false;
      this.changed();
    }
  }

  private async catchUp(mark: number): Promise<void> {
    const messagesFrom = this.messages.loaded ? this.messages.records.oldest : undefined;
    const dynamicsFrom = this.feed && this.dynamics.loaded ? this.dynamics.records.oldest : undefined;
    const settle = (apply: () => void) => {
      apply();
      this.log.replaySince(mark);
      this.changed();
    };
    const reloadMessages = () => this.reload(this.messages, 'list_messages', this.pageSize, asMessage, settle);
    const reloadDynamics = () => this.reload(this.dynamics, 'list_dynamics', this.feedPageSize, asDynamic, settle);
    // A list never loaded (or empty) has no range to catch up: its first page.
    const work: Promise<unknown>[] = [];
    if (messagesFrom === undefined) work.push(reloadMessages());
    if (this.feed && dynamicsFrom === undefined) work.push(reloadDynamics());
    if (messagesFrom === undefined && dynamicsFrom === undefined) {
      work.push(this.ask('counts', {}).then((answer) => settle(() => this.takeAnyCounts(answer))));
    } else {
      const request: CatchUpRequest = {
        ...(messagesFrom !== undefined ? { messages: { oldest: messagesFrom } } : {}),
        ...(dynamicsFrom !== undefined ? { dynamics: { oldest: dynamicsFrom } } : {}),
      };
      work.push(
        this.ask('catch_up', request).then((answer) => {
          if (!isObject(answer)) throw new InboxError('internal', 'catch_up was answered without its lists', 'catch_up');
          const messages = messagesFrom !== undefined ? asCatchUpList(answer.messages, asMessage) : undefined;
          const dynamics = dynamicsFrom !== undefined ? asCatchUpList(answer.dynamics, asDynamic) : undefined;
          settle(() => {
            this.takeAnyCounts(answer.counts);
            if (messagesFrom !== undefined && Array.isArray(messages)) this.messages.records.replaceFrom(messagesFrom, messages.filter((m) => !m.isArchived));
            if (dynamicsFrom !== undefined && Array.isArray(dynamics)) this.dynamics.records.replaceFrom(dynamicsFrom, dynamics);
          });
          // Too far behind (the gateway says reload) or answered without the list: its first page instead.
          return Promise.all([
            messagesFrom !== undefined && !Array.isArray(messages) ? reloadMessages() : undefined,
            dynamicsFrom !== undefined && !Array.isArray(dynamics) ? reloadDynamics() : undefined,
          ]);
        }),
      );
    }
    await Promise.all(work);
  }

  /** Loads a list's first page and holds it as the whole list. */
  private async reload<T extends { readonly id: string }>(
    list: PagedList<T>,
    event: 'list_messages' | 'list_dynamics',
    limit: number,
    asItem: (value: unknown) => T | undefined,
    settle: (apply: () => void) => void,
  ): Promise<void> {
    const generation = ++list.generation;
    const page = asPage(await this.ask(event, { limit }), asItem);
    if (!page) throw new InboxError('internal', `${event} was answered without a page`, event);
    if (generation !== list.generation) return;
    settle(() => list.reset(withoutArchived(page)));
  }

  private loadOlder<T extends { readonly id: string }>(
    list: PagedList<T>,
    event: 'list_messages' | 'list_dynamics',
    limit: number,
    asItem: (value: unknown) => T | undefined,
  ): Promise<void> {
    if (list.loading) return list.loading;
    const before = list.nextCursor;
    if (!list.loaded || before === null) return Promise.resolve();
    const generation = list.generation;
    const mark = this.log.mark();
    list.loading = this.ask(event, { limit, before })
      .then((answer) => {
        const page = asPage(answer, asItem);
        if (!page) throw new InboxError('internal', `${event} was answered without a page`, event);
        // Reloaded meanwhile: this page would sit below a gap.
        if (generation !== list.generation) return;
        list.append(withoutArchived(page));
        this.log.replaySince(mark);
      })
      .catch((error: unknown) => {
        const failure = toInboxError(error, event);
        this.fail(failure);
        throw failure;
      })
      .finally(() => {
        this.log.release();
        list.loading = undefined;
        this.changed();
      });
    this.changed();
    return list.loading;
  }

  // ---- changes ----------------------------------------------------------------------------------

  private changeIds(change: MessageChange, ids: string | Iterable<string>): Promise<number> {
    const unique = [...new Set(typeof ids === 'string' ? [ids] : ids)];
    if (unique.length === 0) return Promise.resolve(0);
    const target = { ids: new Set(unique) };
    const shown = this.shownMessages().filter((message) => target.ids.has(message.id));
    const selectors: Selector[] = [];
    for (let start = 0; start < unique.length; start += IDS_PER_CHANGE) selectors.push({ ids: unique.slice(start, start + IDS_PER_CHANGE) });
    return this.send(change, target, selectors, deltaOf(shown, change));
  }

  private changeAll(change: 'read' | 'seen'): Promise<number> {
    const newest = this.messages.records.items[0]?.id;
    const target: ChangeTarget & Selector = newest === undefined ? { all: true } : { upTo: newest };
    return this.send(change, target, [target], clearingDelta(this.getSnapshot().counts, change));
  }

  /**
   * Shows `change` at once, sends it, and then either confirms it (the gateway made it) or rolls
   * it back and reports why. Not sent at all while disconnected (`offline`).
   */
  private async send(change: MessageChange, target: ChangeTarget, selectors: Selector[], delta: CountsDelta): Promise<number> {
    if (!this.socket.connected) {
      const failure = new InboxError('offline', 'not connected to the gateway: nothing was changed', change);
      this.fail(failure);
      throw failure;
    }
    const pending = this.pending.add({ change, target, delta, versionAtSend: this.counts.version });
    this.changed();
    try {
      let updated = 0;
      for (const selector of selectors) {
        const answer = await this.ask(change, selector);
        if (isObject(answer) && isCount(answer.updated)) updated += answer.updated;
      }
      this.log.apply(() => this.confirm(change, target));
      // Nothing changed (another page was first): no counts will follow for it.
      this.pending.answer(pending, updated === 0 || this.counts.version > pending.versionAtSend);
      return updated;
    } catch (error) {
      this.pending.remove(pending);
      const failure = toInboxError(error, change);
      this.fail(failure);
      throw failure;
    } finally {
      this.changed();
    }
  }

  // ---- plumbing ---------------------------------------------------------------------------------

  private ask(event: AskEvent, payload: unknown): Promise<unknown> {
    return askGateway(this.socket, this.ackTimeoutMs, event, payload);
  }

  private shownMessages(): readonly Message[] {
    const confirmed = this.messages.records.items;
    if (this.view?.of !== confirmed || this.view.revision !== this.pending.revision) {
      const overlaid = this.pending.overlay(confirmed);
      this.view = { of: confirmed, revision: this.pending.revision, messages: overlaid === confirmed ? confirmed : Object.freeze(overlaid) };
    }
    return this.view.messages;
  }

  private currentUser(): InboxSnapshot['user'] {
    const { uid, companyID } = this.tokens.claims ?? {};
    if (uid === undefined || companyID === undefined) return this.user;
    if (this.user?.uid !== uid || this.user.companyID !== companyID) this.user = Object.freeze({ uid, companyID });
    return this.user;
  }

  private fail(error: InboxError): void {
    if (this.closed) return;
    this.error = error;
    this.emit('error', error);
    this.changed();
  }

  private setStatus(status: ConnectionStatus): void {
    this.status = status;
    this.changed();
  }

  private setTimer(name: TimerName, run: () => void, ms: number): void {
    this.clearTimer(name);
    this.timers.set(
      name,
      setTimeout(() => {
        this.timers.delete(name);
        run();
      }, ms),
    );
  }

  private clearTimer(name: TimerName): void {
    clearTimeout(this.timers.get(name));
    this.timers.delete(name);
  }

  /** The snapshot is stale: listeners hear of it once, after the current burst of changes. */
  private changed(): void {
    this.snapshot = undefined;
    if (this.notifyQueued) return;
    this.notifyQueued = true;
    queueMicrotask(() => {
      this.notifyQueued = false;
      for (const listener of [...this.listeners]) {
        try {
          listener();
        } catch (error) {
          setTimeout(() => {
            throw error;
          });
        }
      }
    });
  }
}

/** Creates an inbox and, unless `autoConnect: false`, connects it. */
export function createInbox(options: InboxOptions): BrowserInbox {
  return new BrowserInbox(options);
}

/** What a `msg_*` event covers: `{ids}`, or (from gateways before message states, `msg_read` only) `{typeID}` or `{all: true}`. */
function targetOf(payload: unknown): ChangeTarget | undefined {
  if (!isObject(payload)) return undefined;
  if (payload.all === true) return { all: true };
  if (payload.typeID === 1 || payload.typeID === 2 || payload.typeID === 3) return { typeID: payload.typeID };
  const ids = asIds(payload);
  return ids && ids.length > 0 ? { ids: new Set(ids) } : undefined;
}

function withoutArchived<T extends { readonly id: string }>(page: Page<T>): Page<T> {
  return { ...page, items: page.items.filter((item) => (item as { isArchived?: unknown }).isArchived !== true) };
}
