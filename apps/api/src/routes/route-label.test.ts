import { describe, expect, it } from 'vitest';
import { routeLabel, UNMATCHED_ROUTE } from './route-label.js';

describe('routeLabel', () => {
  it('names the route pattern, never the raw URL', () => {
    expect(routeLabel('GET', '/v1/users/42/messages?unread=true')).toBe('/v1/users/:uid/messages');
    expect(routeLabel('POST', '/v1/users/a.b@c/messages/read')).toBe('/v1/users/:uid/messages/read');
    expect(routeLabel('GET', '/v1/objects/task/5/logs')).toBe('/v1/objects/:objectType/:objectID/logs');
    expect(routeLabel('POST', '/v1/messages/')).toBe('/v1/messages');
    expect(routeLabel('HEAD', '/healthz')).toBe('/healthz');
  });

  it('labels /push by method and what lies below Bull Board and the docs under one name', () => {
    expect(routeLabel('GET', '/push?action=message')).toBe('/push');
    expect(routeLabel('POST', '/push')).toBe('/push');
    expect(routeLabel('POST', '/?action=message')).toBe('/');
    expect(routeLabel('GET', '/admin/queues')).toBe('/admin/queues');
    expect(routeLabel('PUT', '/admin/queues/api/queues/notifications/pause')).toBe('/admin/queues/*');
    expect(routeLabel('GET', '/docs/swagger-ui.css')).toBe('/docs/*');
  });

  it('puts every unknown path and method under one label', () => {
    expect(routeLabel('GET', '/v1/messages')).toBe(UNMATCHED_ROUTE);
    expect(routeLabel('GET', '/wp-admin/install.php')).toBe(UNMATCHED_ROUTE);
    expect(routeLabel('DELETE', '/v1/users/1/messages')).toBe(UNMATCHED_ROUTE);
  });
});
