import { createHash, timingSafeEqual } from 'node:crypto';
import type { Request, RequestHandler } from 'express';
import { UnauthorizedError } from '../errors/http-errors.js';

const digest = (key: string) => createHash('sha256').update(key).digest();

export interface ApiKeyAuthOptions {
  /**
   * Where a key may come from when the request has no `Authorization` header (`/push` takes a
   * `key` field). Default: nowhere.
   */
  fallback?: (req: Request) => unknown;
}

/**
 * Requires `Authorization: Bearer <key>` with one of `keys` (or, without that header, the key
 * `options.fallback` finds). On success `res.locals.apiKeyId` names the key (a digest prefix, safe
 * to log and to scope idempotency keys and rate limits by).
 */
export function apiKeyAuth(keys: readonly string[], options: ApiKeyAuthOptions = {}): RequestHandler {
  const known = keys.map(digest);
  return (req, res, next) => {
    const header = req.get('authorization');
    const offeredKey = header === undefined ? options.fallback?.(req) : /^Bearer\s+(\S+)\s*$/i.exec(header)?.[1];
    const offered = typeof offeredKey === 'string' && offeredKey ? digest(offeredKey) : undefined;
    // Compare digests in constant time so response timing does not reveal a key prefix.
    if (!offered || !known.some((key) => timingSafeEqual(key, offered))) {
      next(new UnauthorizedError());
      return;
    }
    res.locals.apiKeyId = offered.subarray(0, 8).toString('hex');
    next();
  };
}
