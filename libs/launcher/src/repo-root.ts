import { fileURLToPath } from 'node:url';

/**
 * The repository root (with a trailing slash), found from this file's location so it does not
 * depend on the cwd. `src/` and `dist/` are both three levels below it.
 */
export const repoRoot = fileURLToPath(new URL('../../../', import.meta.url));
