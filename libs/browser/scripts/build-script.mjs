// Builds the self-contained script the gateway serves (`/notify-browser.js`): src/script.ts with
// socket.io-client inside, as one minified IIFE defining `window.NotifyBrowser`, written to
// dist/notify-browser.min.js. Run by `npm run build` after `tsc -b` (esbuild compiles the
// TypeScript itself; tsc has already type-checked it).
import { build } from 'esbuild';
import { gzipSync } from 'node:zlib';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('../', import.meta.url));
const outfile = `${root}dist/notify-browser.min.js`;
const { version } = JSON.parse(readFileSync(`${root}package.json`, 'utf8'));

await build({
  entryPoints: [`${root}src/script.ts`],
  outfile,
  bundle: true,
  format: 'iife',
  globalName: 'NotifyBrowser',
  platform: 'browser',
  // Browsers of the last few years: custom elements, shadow DOM, private class fields.
  target: ['es2022', 'chrome100', 'firefox100', 'safari16'],
  minify: true,
  legalComments: 'none',
  banner: { js: `/* @notify/browser ${version} (MIT), with socket.io-client (MIT) */` },
  logLevel: 'warning',
});

const bytes = readFileSync(outfile);
console.log(`@notify/browser: dist/notify-browser.min.js ${bytes.length} bytes, ${gzipSync(bytes, { level: 9 }).length} gzipped`);
