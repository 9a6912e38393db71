import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Registry } from 'prom-client';
import { checkReadiness, type ReadinessCheck } from './readiness.js';
import { sendJson, splitTarget } from './http-responses.js';

export interface ProbeOptions {
  registry: Registry;
  readiness: readonly ReadinessCheck[];
}

/**
 * Serves `GET /healthz` (alive), `GET /readyz` (every dependency reachable, else 503) and
 * `GET /metrics` (Prometheus text). Returns false for any other request, so callers can chain it.
 */
export function createProbeHandler({ registry, readiness }: ProbeOptions) {
  return (req: IncomingMessage, res: ServerResponse): boolean => {
    const { path } = splitTarget(req.url);
    if (req.method !== 'GET' && req.method !== 'HEAD') return false;
    if (path === '/healthz') {
      sendJson(res, 200, { status: 'ok' });
    } else if (path === '/readyz') {
      void checkReadiness(readiness).then((report) =>
        sendJson(res, report.ready ? 200 : 503, { status: report.ready ? 'ready' : 'unavailable', checks: report.checks }),
      );
    } else if (path === '/metrics') {
      void registry.metrics().then((text) => {
        res.writeHead(200, { 'content-type': registry.contentType });
        res.end(text);
      });
    } else {
      return false;
    }
    return true;
  };
}
