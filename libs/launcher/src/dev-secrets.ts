import { randomBytes } from 'node:crypto';
import { chmod, mkdir, readFile, rename, writeFile } from 'node:fs/promises';
import { dirname } from 'node:path';

/** The secrets `npm start` needs, generated once so tokens and keys survive restarts. */
export interface DevSecrets {
  /** Producer API key (one of `API_KEYS`). */
  apiKey: string;
  /** HS256 secret of browser tokens (`JWT_SECRET`). */
  jwtSecret: string;
  /** Bull Board basic-auth password (`BULL_BOARD_PASSWORD`). */
  bullBoardPassword: string;
}

const random = (bytes: number) => randomBytes(bytes).toString('base64url');

/** How each secret is made, and the shortest stored value still accepted (the apps' minimums). */
const makers: Record<keyof DevSecrets, { make: () => string; minLength: number }> = {
  apiKey: { make: () => `dev_${random(24)}`, minLength: 16 },
  jwtSecret: { make: () => random(48), minLength: 32 },
  bullBoardPassword: { make: () => random(12), minLength: 8 },
};

async function readStored(file: string): Promise<Record<string, unknown>> {
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return {};
    throw error;
  }
  try {
    const stored: unknown = JSON.parse(text);
    if (typeof stored === 'object' && stored !== null && !Array.isArray(stored)) return stored as Record<string, unknown>;
  } catch {
    // reported below, with what to do
  }
  throw new Error(`${file} is not a JSON object; delete it to generate new dev secrets`);
}

/**
 * Reads the dev secrets from `file` (JSON, mode 0600), generating any that are missing with
 * crypto randomness and writing them back, so they stay the same from one start to the next.
 */
export async function loadDevSecrets(file: string): Promise<DevSecrets> {
  const stored = await readStored(file);
  let changed = false;
  const secrets = {} as DevSecrets;
  for (const [key, { make, minLength }] of Object.entries(makers) as [keyof DevSecrets, (typeof makers)[keyof DevSecrets]][]) {
    const value = stored[key];
    if (typeof value === 'string' && value.length >= minLength) {
      secrets[key] = value;
    } else {
      secrets[key] = make();
      changed = true;
    }
  }
  if (changed) {
    await mkdir(dirname(file), { recursive: true });
    // Write then rename: an interrupted start never leaves a half-written file behind.
    const partial = `${file}.${process.pid}.tmp`;
    await writeFile(partial, `${JSON.stringify({ ...stored, ...secrets }, null, 2)}\n`, { mode: 0o600 });
    await rename(partial, file);
  } else {
    // Secrets: readable by their owner only, even if the file was copied in with looser rights.
    await chmod(file, 0o600);
  }
  return secrets;
}
