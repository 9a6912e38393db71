import type { Message } from '@notify/contracts';
import { createInbox, type BrowserInbox } from '../browser-inbox.js';
import type { InboxSnapshot } from '../inbox-types.js';
import type { TokenProvider } from '../token-keeper.js';
import { bellIcon, h } from './dom.js';
import { DEFAULT_LABELS, fill, type InboxLabels } from './inbox-labels.js';
import { adoptStyles } from './inbox-styles.js';
import { dynamicView, messageView, reorder, showState, type MessageView } from './item-views.js';
import { tokenFromUrl } from './token-from-url.js';

/** The parts of the shadow tree the component updates. */
interface Parts {
  bell: HTMLButtonElement;
  badge: HTMLSpanElement;
  online: HTMLSpanElement;
  panel: HTMLDivElement;
  heading: HTMLSpanElement;
  status: HTMLSpanElement;
  markAll: HTMLButtonElement;
  error: HTMLDivElement;
  errorText: HTMLSpanElement;
  dismiss: HTMLButtonElement;
  list: HTMLUListElement;
  empty: HTMLParagraphElement;
  loadMore: HTMLButtonElement;
  feed: HTMLElement;
  feedHeading: HTMLHeadingElement;
  feedList: HTMLUListElement;
  feedMore: HTMLButtonElement;
}

/**
 * `<notify-inbox>`: a bell with the unread count that opens the user's notifications (read,
 * unread, archive, delete, mark all read, load more), and, with the `feed` and `online`
 * attributes, the company's activity and how many of its people are online. Built on
 * {@link createInbox} alone.
 *
 * Attributes: `url` (the gateway; default where the script came from, else this page's origin),
 * `token-url` (GET answering `{"token"}` or the token as text; or set `tokenProvider`), `feed`,
 * `online`, `page-size`, `open` (reflects the dropdown). Events (bubbling, composed):
 * `notify-message` and `notify-dynamic` (something arrived live), `notify-open` (the user
 * activated a message), `notify-error`, `notify-session-ended`.
 */
export class NotifyInboxElement extends HTMLElement {
  static readonly observedAttributes = ['url', 'token-url', 'feed', 'online', 'page-size', 'open'];
  /** The gateway when `url` is not set: the script bundle sets it to where it was loaded from. */
  static defaultUrl: string | undefined;

  #inbox: BrowserInbox | undefined;
  #stop: (() => void)[] = [];
  #provider: TokenProvider | undefined;
  #labels: InboxLabels = DEFAULT_LABELS;
  #parts: Parts | undefined;
  readonly #items = new Map<string, MessageView>();
  readonly #feedItems = new Map<string, HTMLLIElement>();
  /** The message that holds the list's one tab stop (roving focus). */
  #active: string | undefined;

  /** The inbox behind the component (for pages that want its snapshot or actions too). */
  get inbox(): BrowserInbox | undefined {
    return this.#inbox;
  }

  /** Gives the browser token; wins over `token-url`. Setting it (re)connects. */
  get tokenProvider(): TokenProvider | undefined {
    return this.#provider;
  }

  set tokenProvider(provider: TokenProvider | undefined) {
    this.#provider = provider;
    this.#restart();
  }

  get labels(): InboxLabels {
    return this.#labels;
  }

  /** Replaces some of the texts (see {@link InboxLabels}); takes effect for items rendered from then on and every count. */
  set labels(labels: Partial<InboxLabels>) {
    this.#labels = {
      ...DEFAULT_LABELS,
      ...labels,
      status: { ...DEFAULT_LABELS.status, ...labels.status },
      types: { ...DEFAULT_LABELS.types, ...labels.types },
    };
    if (this.#parts) this.#applyLabels(this.#parts);
    this.#render();
  }

  get open(): boolean {
    return this.hasAttribute('open');
  }

  set open(open: boolean) {
    this.toggleAttribute('open', open);
  }

  connectedCallback(): void {
    if (!this.#parts) {
      this.#parts = this.#build();
      // Open from the start (the attribute was in the markup): shown, without taking the page's focus.
      if (this.open) this.#showOpen(true, false);
    } else if (this.open) {
      this.#setOutsideListener(true); // moved within the page while open
    }
    this.#start();
  }

  disconnectedCallback(): void {
    this.#setOutsideListener(false);
    // Moved within the page, it is connected again at once: keep the connection.
    queueMicrotask(() => {
      if (!this.isConnected) this.#shutdown();
    });
  }

  attributeChangedCallback(name: string, before: string | null, after: string | null): void {
    if (before === after || !this.#parts) return;
    if (name === 'open') this.#showOpen(after !== null);
    else if (name === 'online') this.#render();
    else this.#restart();
  }

  // ---- building -----------------------------------------------------------------------------------

  #build(): Parts {
    const root = this.attachShadow({ mode: 'open' });
    adoptStyles(root);
    const parts: Parts = {
      bell: h('button', { part: 'bell', type: 'button', 'aria-haspopup': 'dialog', 'aria-expanded': 'false', 'aria-controls': 'panel' }),
      badge: h('span', { part: 'badge', 'aria-hidden': 'true', 'data-count': '0' }, '0'),
      online: h('span', { part: 'online' }),
      panel: h('div', { part: 'panel', id: 'panel', role: 'dialog', hidden: '' }),
      heading: h('span', { part: 'heading', role: 'heading', 'aria-level': '2' }),
      status: h('span', { part: 'status', role: 'status' }),
      markAll: h('button', { part: 'mark-all', type: 'button' }),
      error: h('div', { part: 'error', role: 'alert', hidden: '' }),
      errorText: h('span', { part: 'error-text' }),
      dismiss: h('button', { part: 'dismiss', type: 'button' }, '×'),
      list: h('ul', { part: 'list', role: 'list' }),
      empty: h('p', { part: 'empty' }),
      loadMore: h('button', { part: 'load-more', type: 'button', hidden: '' }),
      feed: h('section', { part: 'feed', hidden: '' }),
      feedHeading: h('h3', { part: 'feed-heading', id: 'feed-heading' }),
      feedList: h('ul', { part: 'feed-list', role: 'list', 'aria-labelledby': 'feed-heading' }),
      feedMore: h('button', { part: 'feed-more', type: 'button', hidden: '' }),
    };
    parts.bell.append(bellIcon(), parts.badge);
    const header = h('div', { part: 'header' });
    header.append(parts.heading, parts.status, parts.markAll);
    parts.error.append(parts.errorText, parts.dismiss);
    parts.feed.append(parts.feedHeading, parts.feedList, parts.feedMore);
    parts.panel.append(header, parts.error, parts.list, parts.empty, parts.loadMore, parts.feed);
    root.append(parts.bell, parts.online, parts.panel);
    this.#applyLabels(parts);

    parts.bell.addEventListener('click', () => (this.open = !this.open));
    parts.bell.addEventListener('keydown', (event) => {
      if (event.key !== 'ArrowDown' || this.open) return;
      event.preventDefault();
      this.open = true;
    });
    parts.panel.addEventListener('keydown', (event) => this.#onPanelKey(event));
    parts.list.addEventListener('click', (event) => this.#onListClick(event));
    parts.list.addEventListener('focusin', (event) => {
      const item = itemOf(event.target);
      if (item) this.#setActive(item.dataset.id);
    });
    parts.markAll.addEventListener('click', () => this.#act((inbox) => inbox.markAllRead()));
    parts.loadMore.addEventListener('click', () => this.#act((inbox) => inbox.loadMore()));
    parts.feedMore.addEventListener('click', () => this.#act((inbox) => inbox.loadMoreDynamics()));
    parts.dismiss.addEventListener('click', () => this.#inbox?.clearError());
    return parts;
  }

  #applyLabels(parts: Parts): void {
    const labels = this.#labels;
    parts.panel.setAttribute('aria-label', labels.title);
    parts.list.setAttribute('aria-label', labels.title);
    parts.heading.textContent = labels.title;
    parts.markAll.textContent = labels.markAllRead;
    parts.dismiss.setAttribute('aria-label', labels.dismiss);
    parts.feed.setAttribute('aria-label', labels.activity);
    parts.feedHeading.textContent = labels.activity;
    parts.feedMore.textContent = labels.loadMoreActivity;
    for (const view of this.#items.values()) showState(view, view.message, labels);
  }

  // ---- the inbox ----------------------------------------------------------------------------------

  #start(): void {
    if (this.#inbox || !this.isConnected || !this.#parts) return;
    const tokenUrl = this.getAttribute('token-url');
    const token = this.#provider ?? (tokenUrl ? tokenFromUrl(tokenUrl) : undefined);
    if (!token) {
      this.#parts.status.textContent = this.#labels.noToken;
      this.dataset.status = 'no-token';
      return;
    }
    const pageSize = Number(this.getAttribute('page-size'));
    const inbox = createInbox({
      url: this.getAttribute('url') ?? NotifyInboxElement.defaultUrl ?? location.origin,
      token,
      feed: this.hasAttribute('feed'),
      ...(pageSize > 0 ? { pageSize } : {}),
    });
    this.#inbox = inbox;
    this.#stop = [
      inbox.subscribe(() => this.#render()),
      inbox.on('message', (message) => this.#dispatch('notify-message', message)),
      inbox.on('dynamic', (dynamic) => this.#dispatch('notify-dynamic', dynamic)),
      inbox.on('error', (error) => this.#dispatch('notify-error', error)),
      inbox.on('session_ended', (reason) => this.#dispatch('notify-session-ended', { reason })),
    ];
    this.#render();
  }

  #shutdown(): void {
    for (const stop of this.#stop.splice(0)) stop();
    this.#inbox?.close();
    this.#inbox = undefined;
  }

  #restart(): void {
    this.#shutdown();
    this.#items.clear();
    this.#feedItems.clear();
    this.#active = undefined;
    this.#parts?.list.replaceChildren();
    this.#parts?.feedList.replaceChildren();
    this.#start();
  }

  /** Runs an action; its failure is already in the snapshot (shown) and sent as `notify-error`. */
  #act(action: (inbox: BrowserInbox) => Promise<unknown>): void {
    if (this.#inbox) action(this.#inbox).catch(() => undefined);
  }

  #dispatch(type: string, detail: unknown): boolean {
    return this.dispatchEvent(new CustomEvent(type, { detail, bubbles: true, composed: true, cancelable: type === 'notify-open' }));
  }

  // ---- rendering ----------------------------------------------------------------------------------

  #render(): void {
    const parts = this.#parts;
    const snapshot = this.#inbox?.getSnapshot();
    if (!parts || !snapshot) return;
    const labels = this.#labels;
    const unread = snapshot.counts.total;
    this.dataset.status = snapshot.status;
    this.toggleAttribute('data-complete', snapshot.complete);
    parts.badge.textContent = String(unread); // exact, never "99+"
    parts.badge.dataset.count = String(unread);
    parts.bell.setAttribute('aria-label', fill(labels.bell, { n: unread }));
    parts.online.hidden = !this.hasAttribute('online');
    parts.online.textContent = fill(labels.online, { n: snapshot.onlineCount ?? '–' });
    parts.status.textContent = snapshot.status === 'connected' && !snapshot.complete ? labels.syncing : labels.status[snapshot.status];
    parts.markAll.disabled = unread === 0 || snapshot.status !== 'connected';
    parts.error.hidden = snapshot.error === undefined;
    parts.errorText.textContent = snapshot.error?.message ?? '';
    this.#renderMessages(parts, snapshot);
    parts.empty.hidden = snapshot.messages.length > 0;
    parts.empty.textContent = snapshot.complete ? labels.empty : labels.loading;
    parts.loadMore.hidden = !snapshot.hasMoreMessages;
    parts.loadMore.disabled = snapshot.loadingMessages;
    parts.loadMore.textContent = snapshot.loadingMessages ? labels.loading : labels.loadMore;
    parts.feed.hidden = !this.hasAttribute('feed');
    parts.feedMore.hidden = !snapshot.hasMoreDynamics;
    parts.feedMore.disabled = snapshot.loadingDynamics;
    this.#renderFeed(parts, snapshot);
  }

  #renderMessages(parts: Parts, snapshot: InboxSnapshot): void {
    const root = this.shadowRoot;
    const focused = itemOf(root?.activeElement ?? null);
    const shown = new Set<string>();
    const nodes = snapshot.messages.map((message) => {
      shown.add(message.id);
      let view = this.#items.get(message.id);
      if (!view) this.#items.set(message.id, (view = messageView(message, this.#labels)));
      else if (view.message !== message) showState(view, message, this.#labels);
      return view.node;
    });
    // The focused message is leaving (archived, deleted): focus moves to its neighbour, not to the page.
    const leaving = focused && !shown.has(focused.dataset.id ?? '');
    const neighbour = leaving ? (focused.nextElementSibling ?? focused.previousElementSibling) : null;
    for (const id of [...this.#items.keys()]) if (!shown.has(id)) this.#items.delete(id);
    reorder(parts.list, nodes);
    if (!this.#active || !shown.has(this.#active)) this.#setActive((neighbour as HTMLElement | null)?.dataset.id ?? snapshot.messages[0]?.id);
    if (leaving) (neighbour && neighbour.isConnected ? (neighbour as HTMLElement) : parts.markAll).focus();
  }

  #renderFeed(parts: Parts, snapshot: InboxSnapshot): void {
    const shown = new Set(snapshot.dynamics.map((dynamic) => dynamic.id));
    for (const id of [...this.#feedItems.keys()]) if (!shown.has(id)) this.#feedItems.delete(id);
    const nodes = snapshot.dynamics.map((dynamic) => {
      let node = this.#feedItems.get(dynamic.id);
      if (!node) this.#feedItems.set(dynamic.id, (node = dynamicView(dynamic, this.#labels)));
      return node;
    });
    reorder(parts.feedList, nodes);
  }

  // ---- interaction --------------------------------------------------------------------------------

  #showOpen(open: boolean, focus = true): void {
    const parts = this.#parts;
    if (!parts) return;
    parts.panel.hidden = !open;
    parts.bell.setAttribute('aria-expanded', String(open));
    this.#setOutsideListener(open);
    if (!open) return;
    // Below the bell, right edges aligned; for a bell near the left edge of the page, left edges.
    parts.panel.removeAttribute('data-align');
    if (parts.panel.getBoundingClientRect().left < 0) parts.panel.setAttribute('data-align', 'start');
    if (focus) (this.#activeItem() ?? parts.markAll).focus();
    // Opening the inbox is what "seen" means: the new ones stop being new (they stay unread).
    if ((this.#inbox?.getSnapshot().counts.unseen ?? 0) > 0) this.#act((inbox) => inbox.markAllSeen());
  }

  /** Closes the dropdown and gives focus back to the bell. */
  #close(): void {
    this.open = false;
    this.#parts?.bell.focus();
  }

  #onOutside = (event: Event): void => {
    if (!event.composedPath().includes(this)) this.open = false;
  };

  #setOutsideListener(on: boolean): void {
    if (on) document.addEventListener('pointerdown', this.#onOutside, true);
    else document.removeEventListener('pointerdown', this.#onOutside, true);
  }

  #onPanelKey(event: KeyboardEvent): void {
    if (event.key === 'Escape') {
      event.preventDefault();
      this.#close();
      return;
    }
    const item = itemOf(event.target);
    if (!item) return;
    const onItem = event.target === item;
    const items = [...(this.#parts?.list.children ?? [])] as HTMLElement[];
    const index = items.indexOf(item);
    const move: Record<string, number> = { ArrowDown: index + 1, ArrowUp: index - 1, Home: 0, End: items.length - 1 };
    const to = move[event.key];
    if (to !== undefined) {
      event.preventDefault();
      items[Math.min(items.length - 1, Math.max(0, to))]?.focus();
    } else if (onItem && (event.key === 'Enter' || event.key === ' ')) {
      event.preventDefault();
      this.#activate(item.dataset.id);
    }
  }

  #onListClick(event: MouseEvent): void {
    const item = itemOf(event.target);
    const id = item?.dataset.id;
    const message = id ? this.#items.get(id)?.message : undefined;
    if (!message) return;
    const action = (event.target as Element).closest('[data-action]')?.getAttribute('data-action');
    if (action === 'toggle-read') this.#act((inbox) => (message.isRead ? inbox.markUnread(message.id) : inbox.markRead(message.id)));
    else if (action === 'archive') this.#act((inbox) => inbox.archive(message.id));
    else if (action === 'delete') this.#act((inbox) => inbox.delete(message.id));
    else this.#activate(message.id);
  }

  /** The user opened a message: it is read, and the page hears `notify-open` (to navigate to its `url`, say). */
  #activate(id: string | undefined): void {
    const message: Message | undefined = id ? this.#items.get(id)?.message : undefined;
    if (!message) return;
    if (!message.isRead) this.#act((inbox) => inbox.markRead(message.id));
    this.#dispatch('notify-open', message);
  }

  /** Makes message `id` the list's one tab stop: it and its buttons are in the tab order, the others are reached with the arrows. */
  #setActive(id: string | undefined): void {
    if (id === this.#active) return;
    this.#active = id;
    for (const [itemId, view] of this.#items) {
      const tabIndex = itemId === id ? 0 : -1;
      view.node.tabIndex = tabIndex;
      for (const button of view.node.querySelectorAll('button')) button.tabIndex = tabIndex;
    }
  }

  #activeItem(): HTMLElement | undefined {
    return this.#active ? this.#items.get(this.#active)?.node : undefined;
  }
}

/** The message (list item) an event happened in, if any; activity entries are not focusable and never one. */
function itemOf(target: EventTarget | null): HTMLElement | null {
  return target instanceof Element ? target.closest<HTMLElement>('li[tabindex]') : null;
}

/** Registers `<notify-inbox>` (or `name`), unless something already is. */
export function defineNotifyInbox(name = 'notify-inbox'): void {
  if (!customElements.get(name)) customElements.define(name, class extends NotifyInboxElement {});
}
