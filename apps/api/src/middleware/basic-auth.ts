import { createHash, timingSafeEqual } from 'node:crypto';
import type { RequestHandler } from 'express';
import { BasicAuthRequiredError } from '../errors/http-errors.js';

export interface BasicAuthOptions {
  user: string;
  password: string;
  /** Shown by the browser's login prompt. */
  realm: string;
}

const digest = (text: string) => createHash('sha256').update(text).digest();

/**
 * HTTP basic auth with one user. Wrong or missing credentials get 401 with a `WWW-Authenticate`
 * challenge. User and password are compared as digests in constant time, both always, so timing
 * reveals neither which one was wrong nor how much of it was right.
 */
export function basicAuth(options: BasicAuthOptions): RequestHandler {
  const user = digest(options.user);
  const password = digest(options.password);
  return (req, _res, next) => {
    const match = /^Basic\s+([A-Za-z0-9+/=]+)\s*$/i.exec(req.get('authorization') ?? '');
    const decoded = match?.[1] ? Buffer.from(match[1], 'base64').toString('utf8') : '';
    const colon = decoded.indexOf(':');
    const userOk = timingSafeEqual(digest(decoded.slice(0, Math.max(colon, 0))), user);
    const passwordOk = timingSafeEqual(digest(decoded.slice(colon + 1)), password);
    if (colon < 0 || !userOk || !passwordOk) {
      next(new BasicAuthRequiredError(options.realm));
      return;
    }
    next();
  };
}
