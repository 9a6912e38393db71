import type { EmbeddedStackInfo } from './embedded-stack.js';

/** Colours a piece of text (or leaves it as it is). */
export type Styler = (style: 'bold' | 'dim' | 'green', text: string) => string;

const plain: Styler = (_style, text) => text;

/** A shell-safe single-quoted word. */
const quote = (text: string) => `'${text.replaceAll("'", `'\\''`)}'`;

/** Ready-to-paste curl line for a JSON POST with the API key. */
function curl(info: EmbeddedStackInfo, path: string, body: Record<string, unknown>): string {
  return [
    'curl -sS -X POST',
    `${info.apiUrl}${path}`,
    `-H ${quote(`Authorization: Bearer ${info.apiKey}`)}`,
    `-H 'Content-Type: application/json'`,
    `-d ${quote(JSON.stringify(body))}`,
  ].join(' ');
}

/**
 * What `npm start` prints once everything is ready: the URLs (the demo page's among them), the dev
 * API key, a curl line that sends a message, one that mints a browser token, and how a page connects.
 */
export function embeddedBanner(info: EmbeddedStackInfo, style: Styler = plain): string {
  const { bullBoard, redis } = info;
  const width = Math.max(info.gatewayUrl.length, info.demoUrl?.length ?? 0, bullBoard.url.length, redis.url.length, info.store.length);
  const row = (name: string, value: string, note = '') =>
    `  ${name.padEnd(12)}${note ? `${value.padEnd(width)}  ${style('dim', note)}` : value}`;
  const message = { companyID: 7, receiverID: 1, typeID: 1, title: 'Hello', content: 'Your first notification' };
  return [
    '',
    style('bold', style('green', 'notify is running')) + style('dim', '  (Ctrl-C stops everything)'),
    '',
    row('gateway', info.gatewayUrl, 'socket.io, for browsers'),
    ...(info.demoUrl ? [row('demo page', info.demoUrl, 'open it as another user too: ?uid=2&companyID=7')] : []),
    row('api', info.apiUrl, 'HTTP API, for web backends'),
    row('bull board', bullBoard.url, `user ${bullBoard.user}, password ${bullBoard.password ?? '(BULL_BOARD_PASSWORD unset)'}`),
    row('worker', `${info.workerUrl}/healthz`, '/readyz and /metrics beside it (every app has all three)'),
    row('redis', redis.url, redis.embedded ? `started here, data in ${redis.dir} (append-only file)` : redis.url.startsWith('cluster ') ? 'from REDIS_CLUSTER_NODES' : 'from REDIS_URL'),
    row('store', info.store),
    '',
    `  ${'API key'.padEnd(12)}${style('bold', info.apiKey)}  ${style('dim', info.apiKeyFromEnv ? 'from API_KEYS' : `generated once, kept in ${info.secretsFile}`)}`,
    '',
    'Send a message to user 1 of company 7:',
    `  ${curl(info, '/v1/messages', message)}`,
    '',
    'Mint a browser token for user 1 of company 7 (your web backend does this when it renders a page):',
    `  ${curl(info, '/v1/tokens', { uid: 1, companyID: 7 })}`,
    '',
    'Connect a page with socket.io-client v4, using that token:',
    `  const socket = io("${info.gatewayUrl}", { auth: { token } });`,
    `  socket.on("new_msg", (message) => console.log(message));`,
    '',
  ].join('\n');
}
