import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ConfigError, loadApiConfig, loadGatewayConfig, loadWorkerConfig } from '@notify/config';

// docker-compose.yml is checked without a Docker engine: `docker-compose config` validates and
// normalizes it, and the apps' own config loaders judge the environment each service gets.

const root = fileURLToPath(new URL('../..', import.meta.url));
const composeFile = join(root, 'docker-compose.yml');

/** The variables docker-compose.yml requires from the shell, with values the apps accept. */
const REQUIRED_FROM_SHELL = {
  API_KEYS: 'compose-test-key-0123456789',
  JWT_SECRET: 'compose-test-jwt-secret-0123456789abcdef',
  BULL_BOARD_PASSWORD: 'compose-test-password',
} as const;

type Env = Record<string, string>;
interface ComposeService {
  image?: string;
  command?: string[];
  environment?: Record<string, string | number | null>;
  ports?: { published?: number | string; target?: number | string }[];
  expose?: (string | number)[];
  healthcheck?: { test?: string[] };
  depends_on?: Record<string, { condition?: string }>;
  volumes?: string[];
}
interface ComposeConfig {
  services: Record<string, ComposeService>;
}

/** `docker-compose -f <file> config` with only `env` (plus PATH and HOME) in its environment. */
function composeConfig(file: string, env: Env) {
  const result = spawnSync('docker-compose', ['-f', file, 'config'], {
    env: { PATH: process.env['PATH'] ?? '', HOME: process.env['HOME'] ?? tmpdir(), ...env },
    encoding: 'utf8',
    timeout: 60_000,
  });
  if (result.error) throw result.error;
  return { status: result.status, stdout: result.stdout, stderr: result.stderr };
}

/** YAML → JSON with the PyYAML that docker-compose itself depends on (no yaml package in node_modules). */
function parseYaml(text: string): unknown {
  const result = spawnSync('python3', ['-c', 'import sys, json, yaml; json.dump(yaml.safe_load(sys.stdin), sys.stdout)'], {
    input: text,
    encoding: 'utf8',
  });
  if (result.status !== 0) throw new Error(`python3 could not parse the compose config: ${result.error?.message ?? result.stderr}`);
  return JSON.parse(result.stdout);
}

/** A service's environment as the process would see it: strings, unset when compose has no value. */
function environmentOf(service: ComposeService | undefined): Env {
  const env: Env = {};
  for (const [name, value] of Object.entries(service?.environment ?? {})) {
    if (value !== null) env[name] = String(value);
  }
  return env;
}

const loaders = {
  api: loadApiConfig,
  worker: loadWorkerConfig,
  gateway: loadGatewayConfig,
} as const;
const APPS = Object.keys(loaders) as (keyof typeof loaders)[];

/** Variables without a default in each app's config schema, that compose must therefore set. */
const REQUIRED_BY_APP: Record<keyof typeof loaders, string[]> = {
  api: ['REDIS_URL', 'MONGO_URL', 'API_KEYS', 'JWT_SECRET'],
  worker: ['REDIS_URL', 'MONGO_URL'],
  gateway: ['REDIS_URL', 'MONGO_URL', 'JWT_SECRET'],
};

describe('docker-compose.yml', () => {
  let config: ComposeConfig;
  const tempDir = mkdtempSync(join(tmpdir(), 'notify-compose-'));

  beforeAll(() => {
    const probe = spawnSync('docker-compose', ['version'], { encoding: 'utf8' });
    if (probe.error) {
      throw new Error(`docker-compose is not on PATH (${probe.error.message}); \`npm run setup\` installs it (Debian package docker-compose)`);
    }
    const result = composeConfig(composeFile, REQUIRED_FROM_SHELL);
    if (result.status !== 0) throw new Error(`docker-compose config failed:\n${result.stderr}`);
    config = parseYaml(result.stdout) as ComposeConfig;
  });

  afterAll(() => rmSync(tempDir, { recursive: true, force: true }));

  /** Runs `docker-compose config` on a modified copy of the file. */
  const configOfCopy = (edit: (text: string) => string, env: Env = REQUIRED_FROM_SHELL) => {
    const original = readFileSync(composeFile, 'utf8');
    const edited = edit(original);
    expect(edited, 'the edit must change the file').not.toBe(original);
    const copy = join(tempDir, `docker-compose.${Math.random().toString(36).slice(2)}.yml`);
    writeFileSync(copy, edited);
    return composeConfig(copy, env);
  };

  it('is accepted by docker-compose config when the required variables are set', () => {
    const result = composeConfig(composeFile, REQUIRED_FROM_SHELL);
    expect(result.stderr).not.toMatch(/error/i);
    expect(result.status).toBe(0);
    expect(Object.keys(config.services).sort()).toEqual(['api', 'gateway', 'mongo', 'redis', 'worker']);
  });

  it.each(Object.keys(REQUIRED_FROM_SHELL))('refuses to render without %s, saying which variable to set', (name) => {
    const env: Env = { ...REQUIRED_FROM_SHELL };
    delete env[name];
    const result = composeConfig(composeFile, env);
    expect(result.status).not.toBe(0);
    expect(result.stderr).toContain(`set ${name}`);
  });

  it('rejects a copy with an unknown service option', () => {
    const result = configOfCopy((text) => text.replace(/^  api:\n/m, '  api:\n    restart_policy_typo: always\n'));
    expect(result.status).not.toBe(0);
    expect(result.stderr).toContain('restart_policy_typo');
  });

  it('rejects a copy with broken indentation', () => {
    const result = configOfCopy((text) => text.replace(/^    image: redis:7$/m, '      image: redis:7'));
    expect(result.status).not.toBe(0);
    expect(result.stderr).toMatch(/while parsing a block mapping/);
  });

  it.each(APPS)('gives %s every variable its config schema requires, and STORE=mongo', (app) => {
    const env = environmentOf(config.services[app]);
    const loaded = loaders[app](env);
    expect(loaded.STORE).toBe('mongo');
    expect(loaded.MONGO_URL).toBe('mongodb://mongo:27017');
    expect(loaded.REDIS_URL).toBe('redis://redis:6379');
    // Each of them really is required: without it the app would stop at start-up naming it.
    for (const name of REQUIRED_BY_APP[app]) {
      const without = { ...env };
      delete without[name];
      expect(() => loaders[app](without), name).toThrow(ConfigError);
      expect(() => loaders[app](without), name).toThrow(new RegExp(`^${name}: `));
    }
  });

  it('gives api, worker and gateway the same store and retention settings', () => {
    const shared = ['STORE', 'MONGO_URL', 'MONGO_DB', 'RETENTION', 'MESSAGES_CAP_BYTES', 'MESSAGES_CAP_DOCS', 'MESSAGES_TTL_DAYS', 'REDIS_URL', 'REDIS_PREFIX'];
    const [first, ...others] = APPS.map((app) => {
      const env = environmentOf(config.services[app]);
      return Object.fromEntries(shared.map((name) => [name, env[name]]));
    });
    for (const other of others) expect(other).toStrictEqual(first);
  });

  it('runs the three apps from one image, each with its own entry point', () => {
    const images = new Set(APPS.map((app) => config.services[app]?.image));
    expect(images.size).toBe(1);
    for (const app of APPS) expect(config.services[app]?.command).toEqual(['node', `apps/${app}/dist/main.js`]);
  });

  it.each([
    ['api', 'API_PORT', 2121],
    ['worker', 'WORKER_HTTP_PORT', 2122],
    ['gateway', 'GATEWAY_PORT', 2120],
  ] as const)('probes %s on its %s (%i) at /readyz', (app, variable, port) => {
    const service = config.services[app];
    expect(environmentOf(service)[variable]).toBe(String(port));
    expect(service?.healthcheck?.test?.join(' ')).toContain(`http://127.0.0.1:${port}/readyz`);
    if (app === 'worker') expect(service?.expose?.map(String)).toEqual([String(port)]);
    else expect(service?.ports?.map((p) => [Number(p.published), Number(p.target)])).toEqual([[port, port]]);
  });

  it('starts the apps only once Redis and MongoDB are healthy', () => {
    for (const app of APPS) {
      expect(config.services[app]?.depends_on).toEqual({
        redis: { condition: 'service_healthy' },
        mongo: { condition: 'service_healthy' },
      });
    }
    expect(config.services['redis']?.healthcheck?.test).toBeDefined();
    expect(config.services['mongo']?.healthcheck?.test).toBeDefined();
  });

  it('keeps Redis append-only without eviction, and both data stores on volumes', () => {
    const redis = config.services['redis'];
    expect(redis?.command?.join(' ')).toContain('--appendonly yes');
    expect(redis?.command?.join(' ')).toContain('--maxmemory-policy noeviction');
    expect(redis?.volumes?.some((volume) => volume.includes(':/data'))).toBe(true);
    expect(config.services['mongo']?.volumes?.some((volume) => volume.includes(':/data/db'))).toBe(true);
  });
});
