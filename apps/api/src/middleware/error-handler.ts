import { randomUUID } from 'node:crypto';
import type { ErrorRequestHandler } from 'express';
import { ZodError } from 'zod';
import { ErrorCode, toIssues, type ApiErrorBody } from '@notify/contracts';
import type { Logger } from '@notify/observability';
import { HttpError } from '../errors/http-errors.js';
import { isOutage } from '../errors/is-outage.js';

interface BodyParserError extends Error {
  /** Set on `entity.too.large`: the limit in bytes. */
  limit?: number;
  type?: string;
  status?: number;
}

/**
 * The api's one error middleware: every failure becomes the error body of docs/api.md, or, on routes that
 * set `res.locals.plainTextErrors` (`/push`), the same status with the plain-text body `fail` (or
 * 200, when the route also sets `res.locals.errorsAs200`).
 * Logs through the request's logger (`res.locals.logger`) so the line carries the request id.
 */
export function errorHandler(logger: Logger): ErrorRequestHandler {
  return (error: unknown, req, res, next) => {
    // Too late for an error answer: let Express end the connection.
    if (res.headersSent) return next(error);
    const requestLogger = (res.locals.logger as Logger | undefined) ?? logger;
    const [status, body] = toResponse(error, requestLogger, `${req.method} ${req.path}`);
    if (error instanceof HttpError) res.set(error.headers);
    res.locals.errorCode = body.error.code;
    res.locals.issues = body.error.issues;
    if (res.locals.plainTextErrors === true) {
      // PUSH_ALWAYS_200: clients that throw on any other status read the verdict from the body.
      res.status(res.locals.errorsAs200 === true ? 200 : status).type('text/plain').send('fail');
    } else {
      res.status(status).json(body);
    }
  };
}

function toResponse(error: unknown, logger: Logger, where: string): [number, ApiErrorBody] {
  if (error instanceof ZodError) {
    return [400, { error: { code: ErrorCode.invalidInput, message: 'the request is invalid; see issues', issues: toIssues(error) } }];
  }
  if (error instanceof HttpError) {
    const body: ApiErrorBody = { error: { code: error.code, message: error.message } };
    if (error.issues) body.error.issues = error.issues;
    if (error.status >= 500) logger.warn({ where, err: error }, error.message);
    return [error.status, body];
  }
  const parserError = error as BodyParserError;
  // A form with more fields than the parser takes is as much "too large" as a long body.
  if (parserError.type === 'entity.too.large' || parserError.type === 'parameters.too.many') {
    // body-parser reports the limit it enforced (BODY_LIMIT_BYTES), so the message never goes stale.
    const limit = parserError.limit === undefined ? '' : ` (${parserError.limit} bytes)`;
    return [413, { error: { code: ErrorCode.payloadTooLarge, message: `the body is over the size limit${limit}` } }];
  }
  if (parserError.type === 'entity.parse.failed') {
    const issue = { path: '(body)', message: `not valid JSON: ${parserError.message}` };
    return [400, { error: { code: ErrorCode.invalidInput, message: 'the body is not valid JSON', issues: [issue] } }];
  }
  if (parserError.type?.endsWith('.unsupported') || parserError.status === 400 || parserError.status === 415) {
    const issue = { path: '(body)', message: parserError.message };
    return [400, { error: { code: ErrorCode.invalidInput, message: 'the body cannot be read', issues: [issue] } }];
  }
  if (isOutage(error)) {
    logger.warn({ where, err: error }, 'dependency unavailable');
    return [503, { error: { code: ErrorCode.unavailable, message: 'Redis or the store is unreachable; retry later' } }];
  }
  const errorId = randomUUID();
  logger.error({ where, errorId, err: error }, 'unexpected error');
  return [500, { error: { code: ErrorCode.internal, message: `internal error ${errorId}` } }];
}
