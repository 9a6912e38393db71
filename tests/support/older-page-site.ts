import { readFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { createRequire } from 'node:module';

/**
 * A stand-in for the PHP application of the older phpsocket.io set-up: it renders the page the
 * seed article shows (jQuery, HTML built by string concatenation, `login` with uid and companyID,
 * no token, no ack) on its own origin, with the unread list and badge rendered by "its backend" on
 * every load, as such applications do. The backend's data is notify's own list (`GET
 * /v1/users/:uid/messages?unread=true`), read with an API key, as a backend that moved its storage to
 * notify would. Scripts come from this site, as from the CDN of the time: jQuery 3 and the npm
 * package socket.io-client 1.x or 2.x (`?client=1` / `?client=2`).
 */
export interface OlderPageSite {
  /** `http://127.0.0.1:<port>`, the page's origin (list it in the gateway's CORS_ORIGINS). */
  readonly origin: string;
  /** Where its backend reads from and which gateway its pages connect to; set once the stack runs. */
  configure(options: { apiUrl: string; apiKey: string; gatewayPort: number }): void;
  close(): Promise<void>;
}

const moduleFile = (path: string) => readFileSync(createRequire(import.meta.url).resolve(path));
const SCRIPTS: Record<string, Buffer> = {
  '/js/jquery.min.js': moduleFile('jquery/dist/jquery.min.js'),
  '/js/socket.io-1.js': moduleFile('socket.io-client-v1/dist/socket.io.min.js'),
  '/js/socket.io-2.js': moduleFile('socket.io-client-v2/dist/socket.io.js'),
};

/** What PHP templates do with `<?= htmlspecialchars($x) ?>`: the backend's own rendering is escaped. */
const escapeHtml = (text: string) =>
  text.replace(/[&<>"']/g, (char) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#039;' })[char] as string);

interface UnreadMessage {
  title: string;
  content: string;
  url?: string;
  date: string;
}

/** The page, as the seed's PHP view would render it for `uid` in `companyID`. */
function page(uid: string, companyID: string, client: string, gatewayPort: number, unread: UnreadMessage[]): string {
  const items = unread
    .map((msg) => `<li class="msg-item"><a href="${escapeHtml(msg.url ?? '#')}"><span class="msg-title">${escapeHtml(msg.title)}</span> <span class="msg-content">${escapeHtml(msg.content)}</span></a></li>`)
    .join('\n');
  return `<!doctype html>
<html><head><meta charset="utf-8"><title>Team</title>
<script src="/js/jquery.min.js"></script>
<script src="/js/socket.io-${client}.js"></script>
</head><body>
<header>Messages <span class="msg-handle-num">${unread.length}</span> · online <span id="online-people"></span></header>
<section><h2>Messages <span class="msg-handle-num">${unread.length}</span></h2><ul id="msg-handle">
${items}
</ul></section>
<section><h2>Activity</h2><ul id="dynamic-list"></ul></section>
<script>
// 初始化io对象
var socket = io("http://" + document.domain + ":${gatewayPort}");
// 当socket连接后发送登录请求
socket.on("connect", function () {
    socket.emit("login", {
        uid: "${uid}",
        companyID: "${companyID}"
    });
});
// 实时消息，当服务端推送来消息时触发
socket.on("new_msg", function (msg) {
    var html = "<li class='msg-item'>" +
        "<a href='" + msg.url + "'>" +
        "<span class='msg-title'>" + msg.title + "</span> " +
        "<span class='msg-content'>" + msg.content + "</span> " +
        "<span class='msg-date'>" + msg.date + "</span>" +
        "</a></li>";
    $("#msg-handle").prepend(html);
    var num = $(".msg-handle-num").eq(1).text() * 1;
    $(".msg-handle-num").text(num + 1);
});
// 实时动态，当服务端推送来消息时触发
socket.on("update_dynamic", function (msg) {
    var html = "<li class='dynamic-item'>" +
        "<img class='dynamic-portrait' src='" + msg.portrait + "' width='16' height='16'>" +
        "<span class='dynamic-date'>" + msg.date + "</span> " +
        "<span class='dynamic-operator'>" + msg.operator + "</span> " +
        "<span class='dynamic-title'>" + msg.title + "</span> " +
        "<span class='dynamic-content'>" + msg.content + "</span>" +
        "</li>";
    $("#dynamic-list").prepend(html);
});
// 在线人数
socket.on("update_online_count", function (msg) {
    $("#online-people").html(msg);
});
</script>
</body></html>`;
}

const PORTRAIT_SVG = '<svg xmlns="http://www.w3.org/2000/svg" width="16" height="16"><rect width="16" height="16" fill="#888"/></svg>';

export async function startOlderPageSite(): Promise<OlderPageSite> {
  let settings: { apiUrl: string; apiKey: string; gatewayPort: number } | undefined;
  const server: Server = createServer((req, res) => {
    const url = new URL(req.url ?? '/', 'http://site');
    const script = SCRIPTS[url.pathname];
    if (script) {
      res.writeHead(200, { 'content-type': 'text/javascript; charset=utf-8' }).end(script);
      return;
    }
    if (url.pathname === '/portrait.svg' || url.pathname === '/favicon.ico') {
      res.writeHead(200, { 'content-type': 'image/svg+xml' }).end(PORTRAIT_SVG);
      return;
    }
    const uid = url.searchParams.get('uid');
    const companyID = url.searchParams.get('companyID');
    if (url.pathname !== '/' || !settings || !uid || !companyID) {
      res.writeHead(404, { 'content-type': 'text/plain' }).end('not found');
      return;
    }
    const { apiUrl, apiKey, gatewayPort } = settings;
    const client = url.searchParams.get('client') === '1' ? '1' : '2';
    fetch(`${apiUrl}/v1/users/${encodeURIComponent(uid)}/messages?unread=true&limit=100`, { headers: { authorization: `Bearer ${apiKey}` } })
      .then(async (response) => {
        if (!response.ok) throw new Error(`the backend's list answered ${response.status}`);
        const { items } = (await response.json()) as { items: UnreadMessage[] };
        res.writeHead(200, { 'content-type': 'text/html; charset=utf-8' }).end(page(uid, companyID, client, gatewayPort, items));
      })
      .catch((error: unknown) => res.writeHead(500, { 'content-type': 'text/plain' }).end(String(error)));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    origin: `http://127.0.0.1:${port}`,
    configure(options) {
      settings = options;
    },
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}
