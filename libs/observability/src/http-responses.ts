import type { ServerResponse } from 'node:http';

/** Answers `body` as uncached JSON. */
export function sendJson(res: ServerResponse, status: number, body: unknown): void {
  res.writeHead(status, { 'content-type': 'application/json; charset=utf-8', 'cache-control': 'no-store' });
  res.end(JSON.stringify(body));
}

/**
 * A request target split into path and query string, by hand: `new URL()` throws on targets a
 * client may well send (`//[`), and a route must answer those with a 404, not an exception.
 */
export function splitTarget(target: string | undefined): { path: string; search: string } {
  const raw = target ?? '';
  const at = raw.indexOf('?');
  return at === -1 ? { path: raw, search: '' } : { path: raw.slice(0, at), search: raw.slice(at + 1) };
}
