import { ErrorCode, type Issue } from '@notify/contracts';

/** An error the api answers with its own status and `{"error": {code, message, issues?}}`. */
export class HttpError extends Error {
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
