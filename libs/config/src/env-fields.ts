import { z } from 'zod';

/** Environment variable fields shared by the apps' config schemas. */

export const port = (fallback: number) => z.coerce.number().int().min(0).max(65535).default(fallback);

export const positiveInt = (fallback: number, max = Number.MAX_SAFE_INTEGER) =>
  z.coerce.number().int().min(1).max(max).default(fallback);

const TRUE_WORDS = ['1', 'true', 'yes', 'on'];
const FALSE_WORDS = ['0', 'false', 'no', 'off', ''];

export const flag = (fallback: boolean) =>
  z
    .string()
    .optional()
    .transform((value, ctx) => {
      if (value === undefined) return fallback;
      const word = value.trim().toLowerCase();
      if (TRUE_WORDS.includes(word)) return true;
      if (FALSE_WORDS.includes(word)) return false;
      ctx.addIssue({ code: 'custom', message: 'must be 1/0, true/false, yes/no or on/off' });
      return z.NEVER;
    });

/** Whether `value` names one Redis server as a URL ioredis can open (a list of hosts does not). */
const isOneServerUrl = (value: string) => {
  try {
    const url = new URL(value);
    return url.hostname !== '' && !url.hostname.includes(',');
  } catch {
    return false;
  }
};

/** One Redis server: `redis://[user:password@]host[:port][/db]` or `rediss://…` (TLS). */
export const redisUrl = z
  .string({ error: 'is required (e.g. redis://127.0.0.1:6379)' })
  .regex(/^rediss?:\/\/.+/, 'must be a redis:// or rediss:// URL')
  .refine(isOneServerUrl, 'must be the URL of one Redis server (for a Redis Cluster, list its nodes in REDIS_CLUSTER_NODES instead)');

/** One `host:port` of a Redis Cluster's seed list. */
export interface RedisNodeAddress {
  host: string;
  port: number;
}

/**
 * Some nodes of a Redis Cluster (any of them: the client learns the rest from them), as
 * `host:port,host:port`; at least one.
 */
export const redisClusterNodes = z.string().transform((value, ctx): RedisNodeAddress[] => {
  const nodes: RedisNodeAddress[] = [];
  for (const item of value.split(',').map((part) => part.trim()).filter(Boolean)) {
    const match = /^(\[[0-9a-fA-F:]+\]|[A-Za-z0-9.-]+):(\d{1,5})$/.exec(item);
    const port = Number(match?.[2]);
    if (!match?.[1] || port < 1 || port > 65535) {
      ctx.addIssue({ code: 'custom', message: `must be host:port pairs separated by commas (e.g. 10.0.0.1:7000,10.0.0.2:7000), got "${item}"` });
      return z.NEVER;
    }
    nodes.push({ host: match[1].replace(/^\[|\]$/g, ''), port });
  }
  if (nodes.length === 0) {
    ctx.addIssue({ code: 'custom', message: 'must list at least one host:port of the cluster' });
    return z.NEVER;
  }
  return nodes;
});

/** A record identifier as the contracts define it (`IDENTIFIER_PATTERN`). */
export const identifier = z.string().regex(/^[A-Za-z0-9_.:@-]{1,64}$/, 'must be 1-64 characters of A-Z a-z 0-9 _ . : @ -');

export const commaList = z
  .string()
  .transform((value) => value.split(',').map((item) => item.trim()).filter(Boolean));

export const LOG_LEVELS = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'] as const;

/** The process's own time zone, as Node resolves it (`TZ`, else the machine's). */
const localTimeZone = () => Intl.DateTimeFormat().resolvedOptions().timeZone;

/**
 * An IANA time zone (`Asia/Shanghai`, `UTC`) that Node's Intl knows. Unset, or glibc's `:/etc/localtime`
 * form (a file, set to spare the C library its checks), means the zone Node resolved for the process.
 */
export const timeZone = z
  .string()
  .optional()
  .transform((value, ctx) => {
    const name = value?.replace(/^:/, '');
    if (name === undefined || name.startsWith('/')) return localTimeZone();
    try {
      return new Intl.DateTimeFormat('en-US', { timeZone: name }).resolvedOptions().timeZone;
    } catch {
      ctx.addIssue({ code: 'custom', message: `must be an IANA time zone such as Asia/Shanghai or UTC, got "${value}"` });
      return z.NEVER;
    }
  });
