/** A bad or missing environment variable; `message` is the one line a process prints before it stops. */
export class ConfigError extends Error {
  readonly code = 'config_invalid';
  constructor(readonly variable: string, problem: string) {
    super(`${variable}: ${problem}`);
    this.name = 'ConfigError';
  }
}
