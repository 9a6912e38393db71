import type { RequestHandler } from 'express';
import type { Issue } from '@notify/contracts';
import type { Logger } from '@notify/observability';
import type { ApiMetrics } from '../metrics/api-metrics.js';
import { routeLabel } from '../routes/route-label.js';

/** Scraped and polled every few seconds: their lines are debug, not info. */
const PROBES = new Set(['/healthz', '/readyz', '/metrics']);

/** A 400 logs this many of its issues, enough to see what a producer gets wrong. */
const LOGGED_ISSUES = 10;

/**
 * Per request: a child logger carrying `requestId` in `res.locals.logger` (every line logged for
 * the request goes through it), and when the answer is done one `request` line (method, route
 * pattern, status, ms) plus the request counter and latency histogram. Runs after {@link requestId}.
 */
export function observeRequests(logger: Logger, metrics: ApiMetrics): RequestHandler {
  return (req, res, next) => {
    const started = process.hrtime.bigint();
    const route = routeLabel(req.method, req.originalUrl);
    const log = logger.child({ requestId: res.locals.requestId as string });
    res.locals.logger = log;
    res.once('close', () => {
      const seconds = Number(process.hrtime.bigint() - started) / 1e9;
      const labels = { method: req.method, route, status: String(res.statusCode) };
      metrics.httpRequests.inc(labels);
      metrics.httpDuration.observe(labels, seconds);
      const line: Record<string, unknown> = { method: req.method, route, status: res.statusCode, ms: Math.round(seconds * 10_000) / 10 };
      if (!res.writableFinished) line.aborted = true;
      if (res.locals.errorCode !== undefined) line.errorCode = res.locals.errorCode;
      const issues = res.locals.issues as Issue[] | undefined;
      if (issues) line.issues = issues.slice(0, LOGGED_ISSUES);
      if (PROBES.has(route)) log.debug(line, 'request');
      else log.info(line, 'request');
    });
    next();
  };
}
