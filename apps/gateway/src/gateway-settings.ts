import type { GatewayConfig } from '@notify/config';

/**
 * What the gateway's server and handlers are built with, named for what each does; made from the
 * configuration once, in {@link startGateway}'s wiring. The defaults are the configuration's.
 */
export interface GatewaySettings {
  /** Unread messages replayed at login (0–500). Default 50 (`REPLAY_LIMIT`). */
  replayLimit: number;
  /** The most items a `catch_up` answers with per list. Default 1,000 (`CATCH_UP_LIMIT`). */
  catchUpLimit: number;
  /** A socket that has not logged in by then is dropped (ms). Default 10 s (`LOGIN_TIMEOUT_MS`). */
  loginTimeoutMs: number;
  /** `login` without a token is allowed. Default false (`ALLOW_UNSIGNED_LOGIN`). */
  allowUnsignedLogin: boolean;
  /** Serve socket.io 1.x/2.x clients (Engine.IO 3). Default false (`ALLOW_EIO3`). */
  allowEio3: boolean;
  /** Which sockets are older pages: those of 1.x/2.x clients, or also every `login`. Default `eio3` (`LEGACY_PAGES`). */
  olderPages: GatewayConfig['LEGACY_PAGES'];
  /** An older page's login replay. Default `off` (`LEGACY_LOGIN_REPLAY`). */
  olderPageLoginReplay: GatewayConfig['LEGACY_LOGIN_REPLAY'];
  /** Time zone of older pages' dates. Default UTC (`TZ`). */
  timeZone: string;
  /** Origins allowed to open sockets; `*` for any. Default `*` (`CORS_ORIGINS`). */
  corsOrigins: readonly string[];
  /** Largest socket message a client may send (bytes). Default 100,000 (`SOCKET_MAX_BYTES`). */
  socketMaxBytes: number;
  /** Events a socket may send per second on average (0: no limit) and at once. Defaults 20 and 50. */
  socketEventsPerSecond: number;
  socketEventBurst: number;
  /** `GET /dev/token` hands out tokens to anyone (development only). Default false (`DEV_TOKEN_ROUTE`). */
  devTokenRoute: boolean;
  /** HS256 secret of browser tokens (`JWT_SECRET`). */
  jwtSecret: string;
}

/** The gateway's settings from its configuration. */
export function gatewaySettings(config: GatewayConfig): GatewaySettings {
  return {
    replayLimit: config.REPLAY_LIMIT,
    catchUpLimit: config.CATCH_UP_LIMIT,
    loginTimeoutMs: config.LOGIN_TIMEOUT_MS,
    allowUnsignedLogin: config.ALLOW_UNSIGNED_LOGIN,
    allowEio3: config.ALLOW_EIO3,
    olderPages: config.LEGACY_PAGES,
    olderPageLoginReplay: config.LEGACY_LOGIN_REPLAY,
    timeZone: config.TZ,
    corsOrigins: config.CORS_ORIGINS,
    socketMaxBytes: config.SOCKET_MAX_BYTES,
    socketEventsPerSecond: config.SOCKET_EVENTS_PER_SECOND,
    socketEventBurst: config.SOCKET_EVENT_BURST,
    devTokenRoute: config.DEV_TOKEN_ROUTE,
    jwtSecret: config.JWT_SECRET,
  };
}
