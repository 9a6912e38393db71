/** A {@link PresenceOptions} value is out of range (e.g. a `ttlMs` too small to schedule heartbeats). */
export class PresenceOptionsError extends Error {
  readonly code = 'presence_options_invalid';
  constructor(message: string) {
    super(message);
    this.name = 'PresenceOptionsError';
  }
}

/** `join` was called after `stop()`: the tracker no longer heartbeats, so it must not add sessions. */
export class PresenceStoppedError extends Error {
  readonly code = 'presence_stopped';
  constructor() {
    super('presence tracker is stopped');
    this.name = 'PresenceStoppedError';
  }
}

/** Redis answered the presence script with something it never returns (wrong server, tampered script). */
export class PresenceReplyError extends Error {
  readonly code = 'presence_reply_invalid';
  constructor(reply: unknown) {
    super(`unexpected reply from the presence script: ${JSON.stringify(reply)}`);
    this.name = 'PresenceReplyError';
  }
}
