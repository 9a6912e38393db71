import { startApp, type AppName, type AppProcess } from '@notify/launcher';

export type { AppName, AppProcess } from '@notify/launcher';

export interface SpawnAppOptions {
  /** Reject (and stop the app) when it has not said it is ready within this many ms. Default 20 s. */
  readyTimeoutMs?: number;
}

/** PATH, HOME and TZ of this process, if set: enough to run node, and nothing that could leak config into a test. */
function baseEnv(): Record<string, string> {
  const base: Record<string, string> = {};
  for (const name of ['PATH', 'HOME', 'TZ']) {
    const value = process.env[name];
    if (value !== undefined) base[name] = value;
  }
  return base;
}

/**
 * Spawns the built app (`apps/<app>/dist/main.js` of this checkout) with a clean environment plus
 * `env`, and resolves once it says it is ready (at any `LOG_LEVEL`). Rejects with its output if it
 * exits or times out first. It is killed if the test process exits, so a failing test leaves nothing behind.
 */
export function spawnApp(app: AppName, env: Record<string, string>, options: SpawnAppOptions = {}): Promise<AppProcess> {
  return startApp(app, { env: { ...baseEnv(), ...env }, readyTimeoutMs: options.readyTimeoutMs ?? 20_000 });
}
