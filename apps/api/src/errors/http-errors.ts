import { ErrorCode, type Issue } from '@notify/contracts';

/** An error the api answers with its own status and `{"error": {code, message, issues?}}`. */
export class HttpError extends Error {
  /** Response headers that belong to this answer (`Retry-After`, `WWW-Authenticate`). */
  readonly headers: Record<string, string> = {};

  constructor(
    readonly status: number,
    readonly code: ErrorCode,
    message: string,
    readonly issues?: Issue[],
  ) {
    super(message);
    this.name = new.target.name;
  }
}

/** 400: the request is not what the api accepts; `issues` lists every problem. */
export class InvalidInputError extends HttpError {
  constructor(issues: Issue[]) {
    super(400, ErrorCode.invalidInput, 'the request is invalid; see issues', issues);
  }
}

/** 401: no or unknown API key. */
export class UnauthorizedError extends HttpError {
  constructor(message = 'a valid API key is required: Authorization: Bearer <key>') {
    super(401, ErrorCode.unauthorized, message);
  }
}

/** 401 with a `WWW-Authenticate: Basic` challenge, so a browser asks for a user and password. */
export class BasicAuthRequiredError extends UnauthorizedError {
  constructor(realm: string) {
    super('a user and password are required (HTTP basic auth)');
    this.headers['www-authenticate'] = `Basic realm="${realm}", charset="UTF-8"`;
  }
}

/** 404: no such route. */
export class NotFoundError extends HttpError {
  constructor(message: string) {
    super(404, ErrorCode.notFound, message);
  }
}

/** 409: an Idempotency-Key reused with a different body. */
export class IdempotencyConflictError extends HttpError {
  constructor() {
    super(409, ErrorCode.idempotencyConflict, 'this Idempotency-Key was already used with a different body');
  }
}

/** 503: Redis or the store cannot be reached right now; retrying later is safe. */
export class UnavailableError extends HttpError {
  constructor(message: string) {
    super(503, ErrorCode.unavailable, message);
  }
}

/** 429: this API key sent more than `API_RATE_LIMIT` requests this second; answered with `Retry-After`. */
export class RateLimitedError extends HttpError {
  constructor(
    /** Whole seconds until the key may send again (the `Retry-After` header). */
    readonly retryAfterSeconds: number,
  ) {
    super(429, ErrorCode.rateLimited, `too many requests for this API key; retry after ${retryAfterSeconds} s`);
    this.headers['retry-after'] = String(retryAfterSeconds);
  }
}
