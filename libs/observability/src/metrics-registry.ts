import { collectDefaultMetrics, Registry } from 'prom-client';

/** A Prometheus registry with the default process metrics, labelled with the app name. */
export function createMetricsRegistry(app: string): Registry {
  const registry = new Registry();
  registry.setDefaultLabels({ app });
  collectDefaultMetrics({ register: registry });
  return registry;
}

export { Counter, Gauge, Histogram, Registry } from 'prom-client';
