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

export const redisUrl = z
  .string({ error: 'is required (e.g. redis://127.0.0.1:6379)' })
  .regex(/^rediss?:\/\/.+/, 'must be a redis:// or rediss:// URL');

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
