import { gzipSync } from 'node:zlib';

/** The browser script (`/notify-browser.js`) as a page gets it from the gateway. */
export interface BrowserScriptSize {
  /** The content-hashed path the stable URL redirected to. */
  path: string;
  minifiedBytes: number;
  /** At gzip level 9, as the gateway sends it to browsers that accept gzip. */
  gzippedBytes: number;
}

/** Fetches the gateway's browser script (socket.io-client, `@notify/browser` and `<notify-inbox>`) and measures it. */
export async function measureBrowserScript(gatewayUrl: string): Promise<BrowserScriptSize> {
  // fetch follows the redirect to the hashed URL and undoes the gateway's gzip: these are the script's own bytes.
  const response = await fetch(`${gatewayUrl}/notify-browser.js`);
  if (!response.ok) throw new Error(`GET /notify-browser.js answered ${response.status} (was the script built? npm run build)`);
  const body = Buffer.from(await response.arrayBuffer());
  return { path: new URL(response.url).pathname, minifiedBytes: body.length, gzippedBytes: gzipSync(body, { level: 9 }).length };
}
