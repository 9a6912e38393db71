import { z } from 'zod';
import { commaList, flag, identifier, LOG_LEVELS, port, positiveInt, redisClusterNodes, redisUrl, timeZone } from './env-fields.js';

/** Variables every process reads. */
const commonShape = {
  /** One Redis server. Exactly one of REDIS_URL and REDIS_CLUSTER_NODES is set (see {@link requireOneRedis}). */
  REDIS_URL: redisUrl.optional(),
  /** Seed nodes of a Redis Cluster (`host:port,…`): every process then runs in cluster mode. */
  REDIS_CLUSTER_NODES: redisClusterNodes.optional(),
  /** Prefix of every Redis key and channel notify uses, so several deployments can share a Redis. */
  REDIS_PREFIX: z
    .string()
    // A hash tag here would put every key and channel in one slot; cluster mode adds the tags itself.
    .refine((value) => !/[{}]/.test(value), 'must not contain { or }: with REDIS_CLUSTER_NODES notify puts the hash tags around it itself ({notify}:…)')
    .regex(/^[A-Za-z0-9_.-]{1,32}$/, 'must be 1-32 of A-Z a-z 0-9 _ . -')
    .default('notify'),
  LOG_LEVEL: z.enum(LOG_LEVELS).default('info'),
  LOG_FORMAT: z.enum(['json', 'pretty']).default('json'),
  /** Interface the HTTP listeners bind to. */
  HOST: z.string().min(1).default('0.0.0.0'),
};

/** Variables of the store, read by every process that opens it. */
const storeShape = {
  STORE: z.enum(['sqlite', 'mongo'], { error: 'must be sqlite or mongo' }).default('sqlite'),
  SQLITE_PATH: z.string().min(1).default('./data/notify.db'),
  MONGO_URL: z.string().regex(/^mongodb(\+srv)?:\/\/.+/, 'must be a mongodb:// or mongodb+srv:// URL').optional(),
  MONGO_DB: z.string().min(1).default('notify'),
  MONGO_POOL_SIZE: positiveInt(20, 1000),
  /** How long a MongoDB operation may wait for a server before it fails (ms). */
  MONGO_TIMEOUT_MS: positiveInt(2000, 60_000),
  RETENTION: z.enum(['capped', 'ttl'], { error: 'must be capped or ttl' }).default('capped'),
  /** Message cap in documents (SQLite: rows). SQLite default 1,000,000; MongoDB: none unless set. */
  MESSAGES_CAP_DOCS: z.coerce.number().int().min(1).optional(),
  MESSAGES_CAP_BYTES: positiveInt(1024 ** 3),
  MESSAGES_TTL_DAYS: positiveInt(90, 36_500),
};

const requireMongoUrl = (env: { STORE: string; MONGO_URL?: string | undefined }, ctx: z.RefinementCtx) => {
  if (env.STORE === 'mongo' && !env.MONGO_URL) {
    ctx.addIssue({ code: 'custom', path: ['MONGO_URL'], message: 'is required when STORE=mongo' });
  }
};

/** One Redis server (REDIS_URL) or one Redis Cluster (REDIS_CLUSTER_NODES): exactly one of them. */
const requireOneRedis = (env: { REDIS_URL?: string | undefined; REDIS_CLUSTER_NODES?: unknown }, ctx: z.RefinementCtx) => {
  if (env.REDIS_URL === undefined && env.REDIS_CLUSTER_NODES === undefined) {
    ctx.addIssue({ code: 'custom', path: ['REDIS_URL'], message: 'is required (e.g. redis://127.0.0.1:6379), or REDIS_CLUSTER_NODES for a Redis Cluster' });
  } else if (env.REDIS_URL !== undefined && env.REDIS_CLUSTER_NODES !== undefined) {
    ctx.addIssue({ code: 'custom', path: ['REDIS_CLUSTER_NODES'], message: 'cannot be set together with REDIS_URL: set one of them' });
  }
};

/** Both refinements of every app's schema. */
const requireStoreAndRedis = (env: Parameters<typeof requireMongoUrl>[0] & Parameters<typeof requireOneRedis>[0], ctx: z.RefinementCtx) => {
  requireOneRedis(env, ctx);
  requireMongoUrl(env, ctx);
};

/**
 * How many BullMQ queues the notifications are spread over (the api's and the workers'
 * `QUEUE_PARTITIONS`, which must agree): on a Redis Cluster each is one hash slot, so one master.
 */
const queuePartitions = positiveInt(1, 64);

export const ApiConfigSchema = z
  .object({
    ...commonShape,
    ...storeShape,
    API_PORT: port(2121),
    API_KEYS: commaList.pipe(
      z.array(z.string().min(16, 'each key must be at least 16 characters')).min(1, 'needs at least one key'),
    ),
    JWT_SECRET: z.string().min(32, 'must be at least 32 characters'),
    BULL_BOARD_USER: z.string().min(1).default('admin'),
    BULL_BOARD_PASSWORD: z.string().min(8, 'must be at least 8 characters').optional(),
    /** Request bodies over this many bytes are refused with 413. */
    BODY_LIMIT_BYTES: positiveInt(256 * 1024),
    /** `POST /v1/bulk` bodies over this many bytes are refused with 413 (up to 1,000 records each). */
    BULK_BODY_LIMIT_BYTES: positiveInt(1024 * 1024, 64 * 1024 * 1024),
    /**
     * How long accepting a record (or a Redis read) may take before the api answers 503 (ms). With
     * the rate limiter's own 250 ms this keeps every answer within the 2 s the contract promises (docs/contract.md).
     */
    UNAVAILABLE_AFTER_MS: positiveInt(1500, 60_000),
    /**
     * The api adds jobs to the queue at most once per this many ms, so that under load the records
     * of the requests of several turns share a job; after a quiet interval a record goes out at the
     * end of its turn. 0: once per event-loop turn.
     */
    ENQUEUE_INTERVAL_MS: z.coerce.number().int().min(0).max(1000).default(10),
    /** Requests per second per API key on `/v1` and `/push`, shared by every api process; 0 turns the limit off. */
    API_RATE_LIMIT: z.coerce.number().int().min(0).max(1_000_000).default(2000),
    /**
     * `/push` answers every request 200 with its plain-text verdict (`ok`, `offline` or `fail`), for
     * older backends whose HTTP client throws on any other status. Default off: `fail` comes with its status.
     */
    PUSH_ALWAYS_200: flag(false),
    /** The `companyID` a `/push` message gets when it names none (older backends sent only `receiverID`). */
    PUSH_DEFAULT_COMPANY_ID: identifier.default('none'),
    QUEUE_PARTITIONS: queuePartitions,
  })
  .superRefine(requireStoreAndRedis);

export const WorkerConfigSchema = z
  .object({
    ...commonShape,
    ...storeShape,
    WORKER_HTTP_PORT: port(2122),
    WORKER_CONCURRENCY: positiveInt(50, 1000),
    /** How long a job's lock lasts; a killed worker's jobs are taken over after about this long (ms). */
    WORKER_LOCK_DURATION_MS: positiveInt(30_000),
    QUEUE_PARTITIONS: queuePartitions,
  })
  .superRefine(requireStoreAndRedis);

export const GatewayConfigSchema = z
  .object({
    ...commonShape,
    ...storeShape,
    GATEWAY_PORT: port(2120),
    JWT_SECRET: z.string().min(32, 'must be at least 32 characters'),
    REPLAY_LIMIT: z.coerce.number().int().min(0).max(500).default(50),
    /**
     * The most messages (and, apart, dynamics) a `catch_up` answers with; a page whose range now
     * holds more is told to reload that list's first page instead.
     */
    CATCH_UP_LIMIT: positiveInt(1000, 10_000),
    ALLOW_UNSIGNED_LOGIN: flag(false),
    /** A socket that has not logged in within this many ms is disconnected. */
    LOGIN_TIMEOUT_MS: positiveInt(10_000),
    /** A crashed gateway's users stop counting as online after this many ms. */
    PRESENCE_TTL_MS: positiveInt(30_000),
    /**
     * A company's `update_online_count` broadcasts are merged within this many ms: the first change
     * goes out at once, the latest count at the end of the interval. 0 sends every change.
     */
    PRESENCE_COALESCE_MS: z.coerce.number().int().min(0).max(60_000).default(1000),
    /**
     * Origins allowed to open sockets (CORS), comma-separated; `*` for any. Listed origins are
     * answered with themselves and `Access-Control-Allow-Credentials: true` (socket.io 1.x/2.x
     * clients send credentialed requests); `*` never goes with credentials.
     */
    CORS_ORIGINS: commaList.default(['*']),
    /** Accept socket.io 1.x/2.x clients (Engine.IO protocol 3), as older pages load them. */
    ALLOW_EIO3: flag(false),
    /**
     * Which sockets are older pages, which get escaped text and older dates in their own rooms:
     * `eio3` those on socket.io 1.x/2.x clients; `login` also every socket that logs in with `login`.
     */
    LEGACY_PAGES: z.enum(['eio3', 'login'], { error: 'must be eio3 or login' }).default('eio3'),
    /**
     * What older pages get at login: `off` no replay (they render their list from their own backend
     * and do not de-duplicate), `unread` the unread replay as notify's pages get it.
     */
    LEGACY_LOGIN_REPLAY: z.enum(['off', 'unread'], { error: 'must be off or unread' }).default('off'),
    /** Time zone of the dates older pages get (`YYYY-MM-DD HH:mm:ss`); default the machine's. */
    TZ: timeZone,
    /** Largest socket message a client may send, in bytes. */
    SOCKET_MAX_BYTES: positiveInt(100_000),
    /** Events one socket may send per second on average; over it they get `rate_limited`. 0 turns the limit off. */
    SOCKET_EVENTS_PER_SECOND: z.coerce.number().int().min(0).max(100_000).default(20),
    /** Events one socket may send at once; a socket that sends this many more while over its limit is disconnected. */
    SOCKET_EVENT_BURST: positiveInt(50, 100_000),
    /**
     * `GET /dev/token?uid=&companyID=` mints a browser token for anyone who asks, for the demo page.
     * Development only (`npm start` turns it on); off, the route is 404.
     */
    DEV_TOKEN_ROUTE: flag(false),
  })
  .superRefine(requireStoreAndRedis);

export type ApiConfig = Readonly<z.infer<typeof ApiConfigSchema>>;
export type WorkerConfig = Readonly<z.infer<typeof WorkerConfigSchema>>;
export type GatewayConfig = Readonly<z.infer<typeof GatewayConfigSchema>>;
/** The store part of any app's config. */
export type StoreConfig = Pick<
  ApiConfig,
  | 'STORE'
  | 'SQLITE_PATH'
  | 'MONGO_URL'
  | 'MONGO_DB'
  | 'MONGO_POOL_SIZE'
  | 'MONGO_TIMEOUT_MS'
  | 'RETENTION'
  | 'MESSAGES_CAP_DOCS'
  | 'MESSAGES_CAP_BYTES'
  | 'MESSAGES_TTL_DAYS'
>;
