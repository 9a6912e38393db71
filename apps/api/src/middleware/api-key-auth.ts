import { createHash, timingSafeEqual } from 'node:crypto';
import type { RequestHandler } from 'express';
import { UnauthorizedError } from '../errors/http-errors.js';

const digest = (key: string) => createHash('sha256').update(key).digest();

/**
 * Requires `Authorization: Bearer <key>` with one of `keys`. On success `res.locals.apiKeyId`
 * names the key (a digest prefix, safe to log and to scope idempotency keys by).
 */
export function apiKeyAuth(keys: readonly string[]): RequestHandler {
  const known = keys.map(digest);
  return (req, res, next) => {
    const match = /^Bearer\s+(\S+)\s*$/i.exec(req.get('authorization') ?? '');
    const offered = match?.[1] ? digest(match[1]) : undefined;
    // Compare digests in constant time so response timing does not reveal a key prefix.
    if (!offered || !known.some((key) => timingSafeEqual(key, offered))) {
      next(new UnauthorizedError());
      return;
    }
    res.locals.apiKeyId = offered.subarray(0, 8).toString('hex');
    next();
  };
}
