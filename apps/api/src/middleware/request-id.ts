import { randomUUID } from 'node:crypto';
import type { RequestHandler } from 'express';

const ACCEPTABLE = /^[A-Za-z0-9_.:-]{1,100}$/;

/** Takes `X-Request-Id` when it is sane or makes one; echoes it and keeps it in `res.locals.requestId`. */
export function requestId(): RequestHandler {
  return (req, res, next) => {
    const offered = req.get('x-request-id');
    const id = offered && ACCEPTABLE.test(offered) ? offered : randomUUID();
    res.locals.requestId = id;
    res.setHeader('x-request-id', id);
    next();
  };
}
