import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { splitTarget, type Logger } from '@notify/observability';

/** The script's stable URL: a short-lived redirect to the content-hashed one. */
export const BROWSER_SCRIPT_PATH = '/notify-browser.js';

/** How long a browser may keep the redirect: after a deploy, pages get the new script within this. */
const REDIRECT_MAX_AGE_S = 300;

/** `@notify/browser`'s built script (`npm run build` writes it next to the lib's `dist/` JavaScript). */
export function builtBrowserScript(): string {
  const require = createRequire(import.meta.url);
  return join(dirname(require.resolve('@notify/browser/package.json')), 'dist', 'notify-browser.min.js');
}

/**
 * Serves the browser script (socket.io-client, `@notify/browser` and `<notify-inbox>` in one file)
 * for pages without a build step: `GET /notify-browser.<hash>.js` is the file, cached for a year
 * (`immutable`: its URL changes with its content), gzipped when the browser takes it;
 * `GET /notify-browser.js` redirects there and may be cached 5 minutes. Both may be loaded from any
 * origin. The file is read once, at start-up; when it is missing (built with `tsc -b` alone) both
 * are 404 and the gateway runs on. Returns false for other requests.
 */
export function browserScript(logger: Logger, file: string = builtBrowserScript()) {
  let body: Buffer;
  try {
    body = readFileSync(file);
  } catch (error) {
    logger.warn({ err: error, file }, `the browser script is missing (npm run build makes it): ${BROWSER_SCRIPT_PATH} is not served`);
    return () => false;
  }
  const hash = createHash('sha256').update(body).digest('hex').slice(0, 16);
  const hashedPath = `/notify-browser.${hash}.js`;
  const gzipped = gzipSync(body, { level: 9 });
  const anyOrigin = { 'access-control-allow-origin': '*', 'cross-origin-resource-policy': 'cross-origin' };
  return (req: IncomingMessage, res: ServerResponse): boolean => {
    if (req.method !== 'GET' && req.method !== 'HEAD') return false;
    const { path } = splitTarget(req.url);
    if (path === BROWSER_SCRIPT_PATH) {
      res.writeHead(302, { location: hashedPath, 'cache-control': `public, max-age=${REDIRECT_MAX_AGE_S}`, 'content-length': 0, ...anyOrigin });
      res.end();
      return true;
    }
    if (path !== hashedPath) return false;
    const gzip = /\bgzip\b/.test(String(req.headers['accept-encoding'] ?? ''));
    const payload = gzip ? gzipped : body;
    res.writeHead(200, {
      'content-type': 'text/javascript; charset=utf-8',
      'content-length': payload.length,
      'cache-control': 'public, max-age=31536000, immutable',
      etag: `"${hash}"`,
      vary: 'accept-encoding',
      'x-content-type-options': 'nosniff',
      ...anyOrigin,
      ...(gzip ? { 'content-encoding': 'gzip' } : {}),
    });
    res.end(req.method === 'HEAD' ? undefined : payload);
    return true;
  };
}
