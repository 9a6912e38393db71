// The demo page: a notification list with an unread badge, the company's activity feed and its
// online count, using only the public socket API (docs/api.md). Every piece of text from the
// server goes into the page with textContent, never as HTML. Plain browser JavaScript, no build.

/** How many notifications and feed entries the page keeps; older ones drop off the bottom. */
const MAX_MESSAGES = 200;
const MAX_FEED = 50;
/** How long a `read` may wait for its ack before the page gives up on it (ms). */
const ACK_TIMEOUT_MS = 5000;
const TYPE_NAMES = { 1: 'system', 2: 'admin', 3: 'operation' };

const byTestId = (id) => document.querySelector(`[data-testid="${id}"]`);
const view = {
  identity: byTestId('identity'),
  online: byTestId('online-count'),
  status: byTestId('status'),
  badge: byTestId('unread-badge'),
  markAll: byTestId('mark-all-read'),
  messages: byTestId('message-list'),
  messagesEmpty: byTestId('message-empty'),
  feed: byTestId('feed-list'),
  feedEmpty: byTestId('feed-empty'),
};

/** An element with a class and, optionally, text (set as text: never parsed as HTML). */
function element(tag, className, text) {
  const node = document.createElement(tag);
  if (className) node.className = className;
  if (text !== undefined) node.textContent = String(text);
  return node;
}

function setStatus(state, text) {
  view.status.dataset.state = state;
  view.status.textContent = text;
}

function formatDate(iso) {
  const date = new Date(iso);
  return Number.isNaN(date.getTime()) ? '' : date.toLocaleString();
}

/** Inserts `node` so that the list stays sorted by id, newest first: ids sort by acceptance time. */
function insertById(list, node, id) {
  for (const child of list.children) {
    if (child.dataset.id < id) {
      list.insertBefore(node, child);
      return;
    }
  }
  list.append(node);
}

// ---- unread badge -------------------------------------------------------------------------------

let unread = 0;

function setUnread(count) {
  unread = Math.max(0, count);
  view.badge.textContent = String(unread); // exact, never "99+"
  view.badge.dataset.count = String(unread);
  document.title = unread > 0 ? `(${unread}) notify demo` : 'notify demo';
}

// ---- notifications ------------------------------------------------------------------------------

/** id → { node, message, read }: every notification on the page, for de-duplication and msg_read. */
const messages = new Map();

function renderMessage(message) {
  const node = element('li', 'message');
  node.dataset.testid = 'message-item';
  node.dataset.id = message.id;
  node.tabIndex = 0;
  node.setAttribute('role', 'button');

  const head = element('div', 'message-head');
  head.append(element('span', `type type-${message.typeID}`, TYPE_NAMES[message.typeID] ?? `type ${message.typeID}`));
  const title = element('span', 'message-title', message.title);
  title.dataset.testid = 'message-title';
  head.append(title);
  const time = element('time', 'when', formatDate(message.date));
  time.dateTime = String(message.date);
  head.append(time);

  const content = element('p', 'message-content', message.content);
  content.dataset.testid = 'message-content';
  node.append(head, content);

  const about = [message.sender && `from ${message.sender}`, message.url].filter(Boolean).join(' · ');
  if (about) node.append(element('p', 'meta', about));
  return node;
}

function showRead(item, read) {
  item.read = read;
  item.node.dataset.read = String(read);
  item.node.setAttribute('aria-label', `${read ? 'read' : 'unread'} notification: ${item.message.title}`);
}

function addMessage(message) {
  if (!message || typeof message.id !== 'string' || messages.has(message.id)) return; // at-least-once delivery
  const item = { node: renderMessage(message), message, read: false };
  showRead(item, message.isRead === true);
  messages.set(message.id, item);
  insertById(view.messages, item.node, message.id);
  // A replayed message is already in the unread_count that follows the replay.
  if (!item.read && !message.replayed) setUnread(unread + 1);
  while (view.messages.children.length > MAX_MESSAGES) {
    const oldest = view.messages.lastElementChild;
    messages.delete(oldest.dataset.id);
    oldest.remove();
  }
  view.messagesEmpty.hidden = messages.size > 0;
}

/** The page's items a `read` selector (or a `msg_read` event) covers. */
function itemsMatching(selector) {
  const all = [...messages.values()];
  if (selector.all === true) return all;
  if (selector.typeID !== undefined) return all.filter((item) => item.message.typeID === selector.typeID);
  if (Array.isArray(selector.ids)) return [...new Set(selector.ids)].map((id) => messages.get(id)).filter(Boolean);
  return [];
}

/**
 * Shows the unread items `selector` covers as read (another page or the HTTP API marked them, or
 * this page is about to) and returns them.
 */
function applyRead(selector) {
  const flipped = itemsMatching(selector).filter((item) => !item.read);
  for (const item of flipped) showRead(item, true);
  // The exact unread_count follows; until then the badge moves with what this page can see.
  setUnread(unread - flipped.length);
  return flipped;
}

/** Marks messages read: at once on this page, then `read` with an ack; undone if the gateway refuses. */
function markRead(selector) {
  const flipped = applyRead(selector);
  if (!selector.all && flipped.length === 0) return;
  socket.timeout(ACK_TIMEOUT_MS).emit('read', selector, (timedOut, ack) => {
    if (!timedOut && ack && !ack.error) return;
    for (const item of flipped) showRead(item, false);
    setUnread(unread + flipped.length);
    setStatus('error', `could not mark read: ${timedOut ? 'no answer' : ack?.error?.message ?? 'refused'}`);
  });
}

view.messages.addEventListener('click', (event) => {
  const node = event.target.closest('[data-testid="message-item"]');
  if (node) markRead({ ids: [node.dataset.id] });
});
view.messages.addEventListener('keydown', (event) => {
  if (event.key !== 'Enter' && event.key !== ' ') return;
  const node = event.target.closest('[data-testid="message-item"]');
  if (!node) return;
  event.preventDefault();
  markRead({ ids: [node.dataset.id] });
});
view.markAll.addEventListener('click', () => markRead({ all: true }));

// ---- activity feed ------------------------------------------------------------------------------

const dynamics = new Set();

function renderDynamic(dynamic) {
  const node = element('li', 'dynamic');
  node.dataset.testid = 'feed-item';
  node.dataset.id = dynamic.id;
  const head = element('div', 'dynamic-head');
  head.append(element('strong', 'operator', dynamic.operator), ' ', element('span', 'dynamic-title', dynamic.title));
  const time = element('time', 'when', formatDate(dynamic.date));
  time.dateTime = String(dynamic.date);
  head.append(time);
  node.append(head);
  if (dynamic.content) node.append(element('p', 'dynamic-content', dynamic.content));
  const object = dynamic.objectType ? `${dynamic.objectType}${dynamic.objectID ? ` #${dynamic.objectID}` : ''}` : '';
  const about = [object, dynamic.receiver && `for ${dynamic.receiver}`].filter(Boolean).join(' · ');
  if (about) node.append(element('p', 'meta', about));
  return node;
}

function addDynamic(dynamic) {
  if (!dynamic || typeof dynamic.id !== 'string' || dynamics.has(dynamic.id)) return;
  dynamics.add(dynamic.id);
  insertById(view.feed, renderDynamic(dynamic), dynamic.id);
  while (view.feed.children.length > MAX_FEED) {
    const oldest = view.feed.lastElementChild;
    dynamics.delete(oldest.dataset.id);
    oldest.remove();
  }
  view.feedEmpty.hidden = dynamics.size > 0;
}

// ---- connection ---------------------------------------------------------------------------------

const params = new URLSearchParams(location.search);
const uid = params.get('uid');
const companyID = params.get('companyID');

/** A token from the gateway's dev-only route; a web backend would put one in the page instead. */
async function fetchToken() {
  const response = await fetch(`/dev/token?${new URLSearchParams({ uid, companyID })}`, { cache: 'no-store' });
  if (response.status === 404) {
    const message = 'this gateway hands out no demo tokens: start it with DEV_TOKEN_ROUTE=1 (npm start does)';
    throw Object.assign(new Error(message), { final: true });
  }
  const body = await response.json().catch(() => ({}));
  if (!response.ok) {
    const issues = (body.error?.issues ?? []).map((issue) => `${issue.path} ${issue.message}`).join('; ');
    const message = issues || body.error?.message || `token route answered ${response.status}`;
    throw Object.assign(new Error(message), { final: response.status < 500 }); // a 5xx may pass; retry those
  }
  return body;
}

/** Why the last token fetch failed, if it did. */
let tokenProblem;
let socket;
/** Why the gateway ended this page's last session (`session_ended`), if it did. */
let sessionEnd;
let refreshTimer;

/** Hands the live socket a fresh token at two thirds of the current one's remaining life: no reconnection. */
function refreshBefore(expiresAt) {
  clearTimeout(refreshTimer);
  const delay = Math.max(1000, ((Date.parse(expiresAt) - Date.now()) * 2) / 3);
  refreshTimer = setTimeout(() => {
    fetchToken().then(
      ({ token }) =>
        socket.emit('refresh_token', { token }, (ack) => {
          if (ack?.expiresAt) refreshBefore(ack.expiresAt);
        }),
      () => refreshBefore(new Date(Date.now() + 3000).toISOString()), // try again shortly; the old token still holds
    );
  }, delay);
}

function connect() {
  view.identity.textContent = `user ${uid} · company ${companyID}`;
  // auth as a function: every (re)connection gets a fresh token, so an expired one never locks the page out.
  socket = io({
    auth: (send) => {
      fetchToken().then(
        ({ token, expiresAt }) => {
          tokenProblem = undefined;
          refreshBefore(expiresAt);
          send({ token });
        },
        (error) => {
          tokenProblem = error;
          send({ token: '' }); // refused as unauthorized; connect_error below says why
        },
      );
    },
  });

  socket.on('connect', () => {
    sessionEnd = undefined;
    setStatus('connected', 'connected');
  });
  socket.on('session_ended', (ended) => (sessionEnd = ended?.reason));
  socket.on('connect_error', (error) => {
    if (socket.active) {
      setStatus('reconnecting', 'cannot reach the gateway; retrying…');
      return;
    }
    // Refused by the gateway: socket.io leaves the retry to us.
    if (tokenProblem?.final) {
      setStatus('error', tokenProblem.message);
      return;
    }
    setStatus('reconnecting', `refused (${tokenProblem?.message ?? error.message}); retrying…`);
    setTimeout(() => socket.connect(), 3000);
  });
  socket.on('disconnect', (reason) => {
    clearTimeout(refreshTimer);
    if (sessionEnd === 'revoked') {
      setStatus('error', 'signed out: this user was cut off (revoke-tokens); reload to sign in again');
      return;
    }
    setStatus('reconnecting', 'disconnected; reconnecting…');
    // The token expired (reconnect with a new one now), or the gateway dropped a page it could not
    // set up (store or Redis trouble: come back shortly).
    if (reason === 'io server disconnect') setTimeout(() => socket.connect(), sessionEnd === 'token_expired' ? 0 : 2000);
  });

  socket.on('new_msg', addMessage);
  socket.on('unread_count', (count) => {
    if (Number.isInteger(count?.total)) setUnread(count.total);
  });
  socket.on('msg_read', (selector) => {
    if (selector && typeof selector === 'object') applyRead(selector);
  });
  socket.on('update_dynamic', addDynamic);
  socket.on('update_online_count', (count) => {
    if (Number.isInteger(count)) view.online.textContent = String(count);
  });
}

if (uid && companyID) {
  connect();
} else {
  view.markAll.disabled = true;
  setStatus('error', 'who are you? add ?uid=1&companyID=7 to the address');
  view.identity.textContent = 'nobody yet';
  const links = element('p', 'pick');
  for (const [user, company] of [['1', '7'], ['2', '7']]) {
    const link = element('a', '', `user ${user} of company ${company}`);
    link.href = `?${new URLSearchParams({ uid: user, companyID: company })}`;
    links.append(link, ' ');
  }
  byTestId('help').append(links);
}
