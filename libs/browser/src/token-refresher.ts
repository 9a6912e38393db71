import { Backoff } from './backoff.js';
import { InboxError, toInboxError } from './inbox-error.js';
import type { TokenKeeper } from './token-keeper.js';

/** The soonest a token refresh follows the previous one, whatever the token's lifetime. */
const MIN_REFRESH_DELAY_MS = 1000;

/** What the refresher needs of the inbox's connection. */
export interface RefreshLine {
  readonly connected: boolean;
  /** Sends `refresh_token {token}`; resolves once the gateway accepted it. */
  send(token: string): Promise<unknown>;
  /** Reports a failed refresh (the old token still holds until its exp). */
  fail(error: InboxError): void;
}

/**
 * Keeps a live connection's token fresh: when the held token is due, a new one from the provider
 * goes to the gateway (`refresh_token`), and the next one is scheduled. A refused refresh is retried
 * with growing delays while the old token holds; a gateway that never answers (one without
 * `refresh_token`) is not asked again on that connection.
 */
export class TokenRefresher {
  private timer: ReturnType<typeof setTimeout> | undefined;
  private supported = true;
  private readonly backoff = new Backoff();

  constructor(
    private readonly tokens: TokenKeeper,
    private readonly line: RefreshLine,
  ) {}

  /** A connection opened: refresh when its token is due. */
  start(): void {
    this.supported = true;
    this.backoff.reset();
    this.schedule();
  }

  stop(): void {
    clearTimeout(this.timer);
    this.timer = undefined;
  }

  /** Refreshes when the held token is due (or after `delay` ms); never sooner than a second from now. */
  private schedule(delay?: number): void {
    this.stop();
    const dueAt = this.tokens.dueAt;
    if (!this.line.connected || !this.supported || (delay === undefined && dueAt === undefined)) return;
    this.timer = setTimeout(() => void this.refresh(), Math.max(MIN_REFRESH_DELAY_MS, delay ?? (dueAt as number) - Date.now()));
  }

  private async refresh(): Promise<void> {
    try {
      const token = await this.tokens.fetch();
      // A provider that hands out a token already due (expired, or about to be) would be asked again at once, forever.
      if ((this.tokens.dueAt ?? Infinity) <= Date.now()) throw new InboxError('token', 'the token provider gave a token that has already expired', 'token');
      await this.line.send(token);
      this.backoff.reset();
      this.schedule();
    } catch (error) {
      const failure = toInboxError(error, 'refresh_token');
      if (!this.line.connected) return; // the next connection uses the new token anyway
      if (failure.code === 'no_answer') {
        // A gateway without refresh_token never answers it: stop asking on this connection. If it
        // ends the session when the token expires, the inbox reconnects with a new one.
        this.supported = false;
        return;
      }
      this.line.fail(failure);
      this.schedule(this.backoff.next());
    }
  }
}
