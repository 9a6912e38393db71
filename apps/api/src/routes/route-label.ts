import { API_ROUTES, type ApiRoute } from './api-routes.js';

interface Matcher {
  method: string;
  label: string;
  pattern: RegExp;
}

const escapeRegExp = (text: string) => text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

/** Matches a path like Express does: parameters are one segment, case-insensitive, optional trailing slash. */
function matchersOf(route: ApiRoute): Matcher[] {
  const source = route.path
    .split('/')
    .map((segment) => (segment.startsWith(':') ? '[^/]+' : escapeRegExp(segment)))
    .join('/');
  const method = route.method.toUpperCase();
  const exact = { method, label: route.path, pattern: new RegExp(`^${source}/?$`, 'i') };
  if (!route.prefix) return [exact];
  // Below a prefix route any method is served (Bull Board's API posts), under one label.
  return [exact, { method: '*', label: `${route.path}/*`, pattern: new RegExp(`^${source}/.+$`, 'i') }];
}

const MATCHERS = API_ROUTES.flatMap(matchersOf);

/** Label of requests that match no route (404s). */
export const UNMATCHED_ROUTE = '(unmatched)';

/**
 * The route pattern a request is for (`/v1/users/:uid/messages`), from the route table: the label
 * of its log line and metrics, never the raw URL, so label values stay few.
 */
export function routeLabel(method: string, url: string): string {
  const path = url.split('?', 1)[0] ?? '';
  const asMethod = method === 'HEAD' ? 'GET' : method;
  const match = MATCHERS.find((m) => (m.method === '*' || m.method === asMethod) && m.pattern.test(path));
  return match?.label ?? UNMATCHED_ROUTE;
}
