import { Counter, Histogram, type Registry } from '@notify/observability';

/** The api's own Prometheus metrics, registered on the process registry served at `/metrics`. */
export class ApiMetrics {
  /** Requests answered, by method, route pattern (never the raw URL) and status. */
  readonly httpRequests: Counter<'method' | 'route' | 'status'>;
  /** Time from the request's arrival to the end of its answer. */
  readonly httpDuration: Histogram<'method' | 'route' | 'status'>;
  /** Messages answered 202 (one per receiver; an idempotent retry counts again). */
  readonly messagesAccepted: Counter;
  /** Dynamics answered 202. */
  readonly dynamicsAccepted: Counter;

  constructor(registry: Registry) {
    const labelNames = ['method', 'route', 'status'] as const;
    this.httpRequests = new Counter({
      name: 'http_requests_total',
      help: 'HTTP requests answered, by method, route pattern and status',
      labelNames,
      registers: [registry],
    });
    this.httpDuration = new Histogram({
      name: 'http_request_duration_seconds',
      help: 'HTTP request latency, by method, route pattern and status',
      labelNames,
      buckets: [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5],
      registers: [registry],
    });
    this.messagesAccepted = new Counter({
      name: 'notify_messages_accepted_total',
      help: 'Messages accepted and enqueued (one per receiver)',
      registers: [registry],
    });
    this.dynamicsAccepted = new Counter({
      name: 'notify_dynamics_accepted_total',
      help: 'Dynamics accepted and enqueued',
      registers: [registry],
    });
  }
}
