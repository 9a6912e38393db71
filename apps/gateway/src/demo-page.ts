import { readFileSync } from 'node:fs';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { splitTarget, type Logger } from '@notify/observability';

/** `apps/gateway/public/`, from `src/` and `dist/` alike; the Docker image keeps it beside `dist/`. */
const PUBLIC_DIR = new URL('../public/', import.meta.url);

/** URL path → file in {@link PUBLIC_DIR} and its type. A fixed list: no request path ever reaches the file system. */
const FILES: Record<string, { file: string; type: string }> = {
  '/': { file: 'index.html', type: 'text/html; charset=utf-8' },
  '/demo.js': { file: 'demo.js', type: 'text/javascript; charset=utf-8' },
  '/demo.css': { file: 'demo.css', type: 'text/css; charset=utf-8' },
  '/favicon.svg': { file: 'favicon.svg', type: 'image/svg+xml' },
};

/**
 * Same origin only, and no inline script or style at all: even if a notification's text were ever
 * inserted as HTML, the browser would refuse to run what it carries. `'self'` covers the
 * socket.io connection (polling and WebSocket) back to this gateway.
 */
const CONTENT_SECURITY_POLICY = "default-src 'self'; base-uri 'none'; form-action 'none'; frame-ancestors 'none'; object-src 'none'";

const HEADERS = {
  'content-security-policy': CONTENT_SECURITY_POLICY,
  'x-content-type-options': 'nosniff',
  'referrer-policy': 'no-referrer',
  'cache-control': 'no-cache',
};

/**
 * Serves the demo page (`/`, `/demo.js`, `/demo.css`, `/favicon.svg`): `<notify-inbox>` from the
 * browser script (`/notify-browser.js`, see browser-script.ts) for the user named in the address,
 * using only the public socket API. The files are read once; when they are missing (a trimmed
 * deployment) the page is 404 and the gateway runs on. Returns false for other requests.
 */
export function demoPage(logger: Logger) {
  const files = new Map<string, { body: Buffer; type: string }>();
  try {
    for (const [path, { file, type }] of Object.entries(FILES)) {
      files.set(path, { body: readFileSync(new URL(file, PUBLIC_DIR)), type });
    }
  } catch (error) {
    logger.warn({ err: error }, 'demo page: its files are missing; / is not served');
    files.clear();
  }
  return (req: IncomingMessage, res: ServerResponse): boolean => {
    if (req.method !== 'GET' && req.method !== 'HEAD') return false;
    const found = files.get(splitTarget(req.url).path);
    if (!found) return false;
    res.writeHead(200, { ...HEADERS, 'content-type': found.type, 'content-length': found.body.length });
    res.end(req.method === 'HEAD' ? undefined : found.body);
    return true;
  };
}
