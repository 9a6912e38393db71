import { mkdtemp, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { loadDevSecrets } from './dev-secrets.js';

describe('loadDevSecrets', () => {
  let dir: string;
  beforeEach(async () => {
    dir = await mkdtemp(join(tmpdir(), 'dev-secrets-'));
  });
  afterEach(() => rm(dir, { recursive: true, force: true }));

  it('generates the secrets once, in a file only its owner can read, and keeps them', async () => {
    const file = join(dir, 'data', 'dev-secrets.json');
    const first = await loadDevSecrets(file);
    expect(first.apiKey.length).toBeGreaterThanOrEqual(16);
    expect(first.jwtSecret.length).toBeGreaterThanOrEqual(32);
    expect(first.bullBoardPassword.length).toBeGreaterThanOrEqual(8);
    expect((await stat(file)).mode & 0o777).toBe(0o600);
    expect(await loadDevSecrets(file)).toEqual(first);
  });

  it('fills in only what is missing or too short, keeping the rest', async () => {
    const file = join(dir, 'dev-secrets.json');
    await writeFile(file, JSON.stringify({ apiKey: 'my-own-key-0123456789', jwtSecret: 'short' }), { mode: 0o644 });
    const secrets = await loadDevSecrets(file);
    expect(secrets.apiKey).toBe('my-own-key-0123456789');
    expect(secrets.jwtSecret).not.toBe('short');
    expect(JSON.parse(await readFile(file, 'utf8'))).toEqual(secrets);
    expect((await stat(file)).mode & 0o777).toBe(0o600);
  });

  it('refuses a file that is not a JSON object, saying what to do', async () => {
    const file = join(dir, 'dev-secrets.json');
    await writeFile(file, 'not json');
    await expect(loadDevSecrets(file)).rejects.toThrow(/delete it/);
  });
});
