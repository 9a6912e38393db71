import { describe, expect, it } from 'vitest';
import { ConfigError } from './config-error.js';
import { loadApiConfig, loadGatewayConfig, loadWorkerConfig } from './load-config.js';
import { redisTarget } from './redis-target.js';

const REDIS_URL = 'redis://127.0.0.1:6379';
const API_KEY = 'test-api-key-0123456789';
const JWT_SECRET = 'test-jwt-secret-0123456789abcdef0123';

/** The least each app needs; everything else has a default. */
const minimal = {
  api: { REDIS_URL, API_KEYS: API_KEY, JWT_SECRET },
  worker: { REDIS_URL },
  gateway: { REDIS_URL, JWT_SECRET },
};

/** The ConfigError `load` throws; fails the test when it does not throw one. */
function configError(load: () => unknown): ConfigError {
  try {
    load();
  } catch (error) {
    expect(error).toBeInstanceOf(ConfigError);
    return error as ConfigError;
  }
  throw new Error('expected a ConfigError');
}

describe('loading configuration', () => {
  describe('defaults', () => {
    it('listens on 2121 (api), 2122 (worker) and 2120 (gateway) on every interface', () => {
      expect(loadApiConfig(minimal.api)).toMatchObject({ API_PORT: 2121, HOST: '0.0.0.0' });
      expect(loadWorkerConfig(minimal.worker)).toMatchObject({ WORKER_HTTP_PORT: 2122, HOST: '0.0.0.0' });
      expect(loadGatewayConfig(minimal.gateway)).toMatchObject({ GATEWAY_PORT: 2120, HOST: '0.0.0.0' });
    });

    it('replays 50 unread messages and refuses unsigned logins', () => {
      expect(loadGatewayConfig(minimal.gateway)).toMatchObject({ REPLAY_LIMIT: 50, ALLOW_UNSIGNED_LOGIN: false });
    });

    it('stores in SQLite under ./data with capped MongoDB retention as the fallback settings', () => {
      for (const config of [loadApiConfig(minimal.api), loadWorkerConfig(minimal.worker), loadGatewayConfig(minimal.gateway)]) {
        expect(config).toMatchObject({
          STORE: 'sqlite',
          SQLITE_PATH: './data/notify.db',
          MONGO_DB: 'notify',
          MONGO_POOL_SIZE: 20,
          MONGO_TIMEOUT_MS: 2000,
          RETENTION: 'capped',
          MESSAGES_CAP_BYTES: 1024 ** 3,
          MESSAGES_TTL_DAYS: 90,
          REDIS_PREFIX: 'notify',
          LOG_LEVEL: 'info',
        });
        expect(config.MONGO_URL).toBeUndefined();
      }
    });

    it('converts numbers and lists from their environment strings', () => {
      const config = loadApiConfig({ ...minimal.api, API_PORT: '8080', API_KEYS: ` ${API_KEY} ,second-key-0123456789,` });
      expect(config.API_PORT).toBe(8080);
      expect(config.API_KEYS).toEqual([API_KEY, 'second-key-0123456789']);
    });
  });

  describe('bad or missing values stop the process with one line naming the variable', () => {
    it('names STORE when it is neither sqlite nor mongo', () => {
      const error = configError(() => loadWorkerConfig({ ...minimal.worker, STORE: 'postgres' }));
      expect(error.variable).toBe('STORE');
      expect(error.message).toBe('STORE: must be sqlite or mongo');
    });

    it('says what is wrong with a value that is present, rather than "is required"', () => {
      const error = configError(() => loadApiConfig({ ...minimal.api, API_PORT: 'abc' }));
      expect(error.variable).toBe('API_PORT');
      expect(error.message).not.toContain('required');
    });

    it('reads an empty value as unset: a default applies, a required variable is named', () => {
      expect(loadApiConfig({ ...minimal.api, BULL_BOARD_PASSWORD: '' }).BULL_BOARD_PASSWORD).toBeUndefined();
      expect(loadApiConfig({ ...minimal.api, API_PORT: '' }).API_PORT).toBe(2121);
      expect(configError(() => loadApiConfig({ ...minimal.api, JWT_SECRET: '' })).message).toBe('JWT_SECRET: is required');
    });

    it('leaves MESSAGES_CAP_DOCS unset unless it is set (MongoDB has no document cap by default)', () => {
      expect(loadWorkerConfig(minimal.worker).MESSAGES_CAP_DOCS).toBeUndefined();
      expect(loadWorkerConfig({ ...minimal.worker, MESSAGES_CAP_DOCS: '500' }).MESSAGES_CAP_DOCS).toBe(500);
    });

    it('names MONGO_URL when STORE=mongo has none, in every app', () => {
      for (const load of [
        () => loadApiConfig({ ...minimal.api, STORE: 'mongo' }),
        () => loadWorkerConfig({ ...minimal.worker, STORE: 'mongo' }),
        () => loadGatewayConfig({ ...minimal.gateway, STORE: 'mongo' }),
      ]) {
        expect(configError(load).message).toBe('MONGO_URL: is required when STORE=mongo');
      }
    });

    it('accepts STORE=mongo with a mongodb:// URL and refuses any other scheme', () => {
      expect(loadWorkerConfig({ ...minimal.worker, STORE: 'mongo', MONGO_URL: 'mongodb://mongo:27017' })).toMatchObject({
        STORE: 'mongo',
        MONGO_URL: 'mongodb://mongo:27017',
      });
      expect(configError(() => loadWorkerConfig({ ...minimal.worker, STORE: 'mongo', MONGO_URL: 'http://mongo' })).variable).toBe('MONGO_URL');
    });

    it('names API_KEYS when it is missing, empty or holds a short key', () => {
      expect(configError(() => loadApiConfig({ REDIS_URL, JWT_SECRET })).message).toBe('API_KEYS: is required');
      expect(configError(() => loadApiConfig({ ...minimal.api, API_KEYS: ' , ' })).message).toBe('API_KEYS: needs at least one key');
      expect(configError(() => loadApiConfig({ ...minimal.api, API_KEYS: 'short' })).message).toBe(
        'API_KEYS: each key must be at least 16 characters',
      );
    });

    it('names JWT_SECRET when it is missing or shorter than 32 characters', () => {
      expect(configError(() => loadGatewayConfig({ REDIS_URL })).message).toBe('JWT_SECRET: is required');
      expect(configError(() => loadApiConfig({ ...minimal.api, JWT_SECRET: 'x'.repeat(31) })).message).toBe(
        'JWT_SECRET: must be at least 32 characters',
      );
    });

    it('names REDIS_URL when it is missing or not a redis:// URL', () => {
      expect(configError(() => loadWorkerConfig({})).variable).toBe('REDIS_URL');
      expect(configError(() => loadWorkerConfig({ REDIS_URL: 'http://127.0.0.1:6379' })).message).toBe(
        'REDIS_URL: must be a redis:// or rediss:// URL',
      );
      expect(loadWorkerConfig({ REDIS_URL: 'rediss://cache.example:6380' }).REDIS_URL).toBe('rediss://cache.example:6380');
    });

    it('names a bad ALLOW_UNSIGNED_LOGIN or RETENTION', () => {
      expect(configError(() => loadGatewayConfig({ ...minimal.gateway, ALLOW_UNSIGNED_LOGIN: 'maybe' })).variable).toBe('ALLOW_UNSIGNED_LOGIN');
      expect(configError(() => loadWorkerConfig({ ...minimal.worker, RETENTION: 'forever' })).message).toBe('RETENTION: must be capped or ttl');
    });
  });

  it('reads ALLOW_UNSIGNED_LOGIN=1 (and true/yes/on) as on, 0 and empty as off', () => {
    for (const word of ['1', 'true', 'YES', 'on']) {
      expect(loadGatewayConfig({ ...minimal.gateway, ALLOW_UNSIGNED_LOGIN: word }).ALLOW_UNSIGNED_LOGIN).toBe(true);
    }
    for (const word of ['0', 'false', '']) {
      expect(loadGatewayConfig({ ...minimal.gateway, ALLOW_UNSIGNED_LOGIN: word }).ALLOW_UNSIGNED_LOGIN).toBe(false);
    }
  });

  it('returns a frozen object', () => {
    for (const config of [loadApiConfig(minimal.api), loadWorkerConfig(minimal.worker), loadGatewayConfig(minimal.gateway)]) {
      expect(Object.isFrozen(config)).toBe(true);
      expect(() => {
        (config as { STORE: string }).STORE = 'mongo';
      }).toThrow(TypeError);
    }
  });

  it('ignores variables it does not know, such as the rest of the environment', () => {
    const config = loadWorkerConfig({ ...minimal.worker, PATH: '/usr/bin', HOME: '/root' });
    expect(config).not.toHaveProperty('PATH');
  });

  describe('moving over from phpsocket.io', () => {
    it('leaves the older clients and their payloads off, and /push answering with its statuses, by default', () => {
      expect(loadGatewayConfig(minimal.gateway)).toMatchObject({ ALLOW_EIO3: false, LEGACY_PAGES: 'eio3', LEGACY_LOGIN_REPLAY: 'off' });
      expect(loadApiConfig(minimal.api)).toMatchObject({ PUSH_ALWAYS_200: false, PUSH_DEFAULT_COMPANY_ID: 'none' });
    });

    it('names a bad LEGACY_PAGES, LEGACY_LOGIN_REPLAY or PUSH_DEFAULT_COMPANY_ID', () => {
      expect(configError(() => loadGatewayConfig({ ...minimal.gateway, LEGACY_PAGES: 'all' })).message).toBe('LEGACY_PAGES: must be eio3 or login');
      expect(configError(() => loadGatewayConfig({ ...minimal.gateway, LEGACY_LOGIN_REPLAY: 'yes' })).message).toBe('LEGACY_LOGIN_REPLAY: must be off or unread');
      expect(configError(() => loadApiConfig({ ...minimal.api, PUSH_DEFAULT_COMPANY_ID: 'no company' })).variable).toBe('PUSH_DEFAULT_COMPANY_ID');
    });

    it('takes TZ as an IANA zone, the machine zone for glibc\'s :/etc/localtime, and names a zone it does not know', () => {
      expect(loadGatewayConfig({ ...minimal.gateway, TZ: 'Asia/Shanghai' }).TZ).toBe('Asia/Shanghai');
      expect(loadGatewayConfig({ ...minimal.gateway, TZ: ':/etc/localtime' }).TZ).toBe(Intl.DateTimeFormat().resolvedOptions().timeZone);
      expect(loadGatewayConfig(minimal.gateway).TZ).toBe(Intl.DateTimeFormat().resolvedOptions().timeZone);
      const error = configError(() => loadGatewayConfig({ ...minimal.gateway, TZ: 'Mars/Olympus' }));
      expect(error.message).toBe('TZ: must be an IANA time zone such as Asia/Shanghai or UTC, got "Mars/Olympus"');
    });
  });
  describe('a Redis Cluster (REDIS_CLUSTER_NODES) instead of one server (REDIS_URL)', () => {
    const cluster = { REDIS_CLUSTER_NODES: '10.0.0.1:7000, 10.0.0.2:7001,[::1]:7002' };

    it('takes the seed nodes as host:port pairs, in every app, and names them as the Redis to use', () => {
      const nodes = [
        { host: '10.0.0.1', port: 7000 },
        { host: '10.0.0.2', port: 7001 },
        { host: '::1', port: 7002 },
      ];
      for (const config of [
        loadApiConfig({ API_KEYS: API_KEY, JWT_SECRET, ...cluster }),
        loadWorkerConfig(cluster),
        loadGatewayConfig({ JWT_SECRET, ...cluster }),
      ]) {
        expect(config.REDIS_CLUSTER_NODES).toEqual(nodes);
        expect(config.REDIS_URL).toBeUndefined();
        expect(redisTarget(config)).toEqual({ clusterNodes: nodes });
      }
      expect(redisTarget(loadWorkerConfig(minimal.worker))).toEqual({ url: REDIS_URL });
    });

    it('needs one of REDIS_URL and REDIS_CLUSTER_NODES, and refuses both', () => {
      expect(configError(() => loadWorkerConfig({})).message).toBe(
        'REDIS_URL: is required (e.g. redis://127.0.0.1:6379), or REDIS_CLUSTER_NODES for a Redis Cluster',
      );
      expect(configError(() => loadWorkerConfig({ REDIS_URL, ...cluster })).message).toBe(
        'REDIS_CLUSTER_NODES: cannot be set together with REDIS_URL: set one of them',
      );
    });

    it('names REDIS_URL when it lists several hosts (which ioredis cannot open), pointing at REDIS_CLUSTER_NODES', () => {
      for (const url of ['redis://10.0.0.1:7000,10.0.0.2:7001', 'redis://a,b:6379']) {
        expect(configError(() => loadWorkerConfig({ REDIS_URL: url })).message).toBe(
          'REDIS_URL: must be the URL of one Redis server (for a Redis Cluster, list its nodes in REDIS_CLUSTER_NODES instead)',
        );
      }
    });

    it('names REDIS_CLUSTER_NODES when an entry is not host:port or the list is empty', () => {
      expect(configError(() => loadWorkerConfig({ REDIS_CLUSTER_NODES: '10.0.0.1:7000,10.0.0.2' })).message).toBe(
        'REDIS_CLUSTER_NODES: must be host:port pairs separated by commas (e.g. 10.0.0.1:7000,10.0.0.2:7000), got "10.0.0.2"',
      );
      expect(configError(() => loadWorkerConfig({ REDIS_CLUSTER_NODES: 'redis://10.0.0.1:7000' })).variable).toBe('REDIS_CLUSTER_NODES');
      expect(configError(() => loadWorkerConfig({ REDIS_CLUSTER_NODES: '10.0.0.1:70000' })).variable).toBe('REDIS_CLUSTER_NODES');
      expect(configError(() => loadWorkerConfig({ REDIS_CLUSTER_NODES: ' , ' })).message).toBe(
        'REDIS_CLUSTER_NODES: must list at least one host:port of the cluster',
      );
    });

    it('refuses a hash tag in REDIS_PREFIX, which would put every key in one slot, saying why', () => {
      expect(configError(() => loadWorkerConfig({ ...cluster, REDIS_PREFIX: '{notify}' })).message).toBe(
        'REDIS_PREFIX: must not contain { or }: with REDIS_CLUSTER_NODES notify puts the hash tags around it itself ({notify}:…)',
      );
    });

    it('spreads the queue over QUEUE_PARTITIONS queues (default 1, at most 64), in the api and the workers', () => {
      expect(loadApiConfig(minimal.api).QUEUE_PARTITIONS).toBe(1);
      expect(loadWorkerConfig({ ...cluster, QUEUE_PARTITIONS: '4' }).QUEUE_PARTITIONS).toBe(4);
      expect(configError(() => loadWorkerConfig({ ...cluster, QUEUE_PARTITIONS: '0' })).variable).toBe('QUEUE_PARTITIONS');
      expect(configError(() => loadApiConfig({ ...minimal.api, QUEUE_PARTITIONS: '65' })).variable).toBe('QUEUE_PARTITIONS');
    });
  });
});
