import type { IncomingMessage } from 'node:http';
import express, { type RequestHandler } from 'express';
import { InvalidInputError } from '../errors/http-errors.js';
import { invalidUtf8InForm, invalidUtf8InJson } from './invalid-utf8.js';

export interface ReadBodyOptions {
  /** Larger bodies (after decompression) are refused with 413 (`BODY_LIMIT_BYTES`). */
  limit: number;
}

/**
 * A body-parser `verify` step: refuses a UTF-8 body holding bytes that are not UTF-8 with a 400
 * naming the fields, before the parser would decode them to U+FFFD. Bodies in another charset
 * (that the parser accepts) are left to it.
 */
const strictUtf8 =
  (find: (body: Buffer) => ReturnType<typeof invalidUtf8InJson>) =>
  (_req: IncomingMessage, _res: unknown, body: Buffer, encoding: string | null) => {
    if (encoding !== null && encoding.toLowerCase() !== 'utf-8') return;
    const issues = find(body);
    // body-parser keeps the status of an error thrown here (400), and the error middleware answers it.
    if (issues.length > 0) throw new InvalidInputError(issues);
  };

/**
 * Reads a JSON body (`strict: false`: any JSON value; the route's schema says what it takes) and
 * refuses invalid UTF-8 in it with 400 `invalid_input`.
 */
export function jsonBody(options: ReadBodyOptions): RequestHandler {
  return express.json({ limit: options.limit, strict: false, verify: strictUtf8(invalidUtf8InJson) });
}

/** Reads a form body (`application/x-www-form-urlencoded`, flat) and refuses fields that are not UTF-8 once decoded. */
export function formBody(options: ReadBodyOptions): RequestHandler {
  return express.urlencoded({ extended: false, limit: options.limit, verify: strictUtf8((body) => invalidUtf8InForm(body, '(body)')) });
}

/** Refuses a query string whose fields are not UTF-8 once percent-decoded (`?title=%FF`), with 400 naming them. */
export function utf8Query(): RequestHandler {
  return (req, _res, next) => {
    const question = req.originalUrl.indexOf('?');
    const issues = question < 0 ? [] : invalidUtf8InForm(req.originalUrl.slice(question + 1), '(query)');
    next(issues.length > 0 ? new InvalidInputError(issues) : undefined);
  };
}
