import { describe, expect, it } from 'vitest';
import { mongoClientOptions, SOCKET_TIMEOUT_FACTOR } from './mongo-client-options.js';

describe('mongoClientOptions', () => {
  it('sizes the pool from poolSize', () => {
    expect(mongoClientOptions({ poolSize: 20, timeoutMs: 2000 }).maxPoolSize).toBe(20);
  });

  it('bounds server selection, connecting and waiting for a pooled connection by timeoutMs', () => {
    const options = mongoClientOptions({ poolSize: 20, timeoutMs: 2000 });
    expect(options).toMatchObject({ serverSelectionTimeoutMS: 2000, connectTimeoutMS: 2000, waitQueueTimeoutMS: 2000 });
  });

  it('gives up on a silent socket after a few timeouts, later than the server-side maxTimeMS', () => {
    const options = mongoClientOptions({ poolSize: 5, timeoutMs: 1500 });
    expect(SOCKET_TIMEOUT_FACTOR).toBeGreaterThan(1);
    expect(options.socketTimeoutMS).toBe(1500 * SOCKET_TIMEOUT_FACTOR);
  });

  it('leaves no limit at the driver default of 30 s or "forever" (0)', () => {
    const options = mongoClientOptions({ poolSize: 5, timeoutMs: 700 });
    for (const key of ['serverSelectionTimeoutMS', 'connectTimeoutMS', 'waitQueueTimeoutMS', 'socketTimeoutMS'] as const) {
      expect(options[key], key).toBeGreaterThan(0);
      expect(options[key], key).toBeLessThanOrEqual(700 * SOCKET_TIMEOUT_FACTOR);
    }
  });

  it('does not rely on timeoutMS, which driver 7 ignores', () => {
    expect(mongoClientOptions({ poolSize: 5, timeoutMs: 700 })).not.toHaveProperty('timeoutMS');
  });
});
