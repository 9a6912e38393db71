import type { TokenProvider } from '../token-keeper.js';

/**
 * A token provider that GETs `url` (relative to the page, with the page's cookies when it is on
 * the page's origin) and takes `token` from a JSON answer (`POST /v1/tokens` and `/dev/token`
 * answer `{"token", "expiresAt"}`), or the whole answer as the token when it is plain text.
 */
export function tokenFromUrl(url: string): TokenProvider {
  return async () => {
    const response = await fetch(url, { cache: 'no-store', headers: { accept: 'application/json, text/plain' } });
    const text = await response.text();
    if (!response.ok) throw new Error(`${url} answered ${response.status}${text ? `: ${text.slice(0, 200)}` : ''}`);
    if ((response.headers.get('content-type') ?? '').includes('json')) {
      const body: unknown = JSON.parse(text);
      const token = typeof body === 'object' && body !== null ? (body as { token?: unknown }).token : undefined;
      if (typeof token !== 'string') throw new Error(`${url} answered JSON without a "token"`);
      return token;
    }
    return text.trim();
  };
}
