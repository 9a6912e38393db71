import { z } from 'zod';
const LEGACY_DATE = /^(\d{4})-(\d{2})-(\d{2}) (\d{2}):(\d{2}):(\d{2})$/;
/**
 * A date on input: ISO-8601 with an offset (`2026-01-02T03:04:05Z`) or the older
 * `YYYY-MM-DD HH:mm:ss`, read in the process's time zone (`TZ`). Output: ISO-8601 UTC.
 */
export const DateInput = z.string().transform((value, ctx) => {
    const iso = z.iso.datetime({ offset: true }).safeParse(value);
    if (iso.success)
        return new Date(value).toISOString();
    const legacy = LEGACY_DATE.exec(value);
    if (legacy) {
        const [, y, mo, d, h, mi, s] = legacy.map(Number);
        const local = new Date(y, mo - 1, d, h, mi, s);
        // Date rolls 2026-02-30 over to March; a date that does not round-trip is not a date.
        if (local.getFullYear() === y && local.getMonth() === mo - 1 && local.getDate() === d && local.getHours() === h) {
            return local.toISOString();
        }
    }
    ctx.addIssue({ code: 'custom', message: 'must be ISO-8601 with an offset or "YYYY-MM-DD HH:mm:ss"' });
    return z.NEVER;
});
