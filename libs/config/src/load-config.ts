import type { z } from 'zod';
import { ConfigError } from './config-error.js';
import { ApiConfigSchema, GatewayConfigSchema, WorkerConfigSchema } from './config-schemas.js';
import type { ApiConfig, GatewayConfig, WorkerConfig } from './config-schemas.js';

type Env = Record<string, string | undefined>;

function parseEnv<S extends z.ZodType>(schema: S, env: Env): Readonly<z.infer<S>> {
  // `VAR=` (as compose files and shells often pass an unset value) means "not set": default or required.
  const given = Object.fromEntries(Object.entries(env).filter(([, value]) => value !== ''));
  const result = schema.safeParse(given);
  if (!result.success) {
    const [first] = result.error.issues;
    const variable = String(first?.path[0] ?? 'environment');
    // Cross-field rules (custom issues) say themselves why a missing variable is needed.
    const problem = first?.code !== 'custom' && given[variable] === undefined ? 'is required' : first?.message;
    throw new ConfigError(variable, problem ?? 'is invalid');
  }
  return Object.freeze(result.data);
}

/** The api's configuration from `env`; throws {@link ConfigError} naming the first bad variable. */
export const loadApiConfig = (env: Env): ApiConfig => parseEnv(ApiConfigSchema, env);
/** The worker's configuration from `env`. */
export const loadWorkerConfig = (env: Env): WorkerConfig => parseEnv(WorkerConfigSchema, env);
/** The gateway's configuration from `env`. */
export const loadGatewayConfig = (env: Env): GatewayConfig => parseEnv(GatewayConfigSchema, env);

/** Runs a loader on `process.env`; on a bad value prints its one line and exits with status 78 (config). */
export function loadConfigOrExit<C>(load: (env: Env) => C, appName: string): C {
  try {
    return load(process.env);
  } catch (error) {
    if (!(error instanceof ConfigError)) throw error;
    process.stderr.write(`${appName}: configuration error: ${error.message}\n`);
    process.exit(78);
  }
}
