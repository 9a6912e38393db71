import { z } from 'zod';
import { Dynamic } from './dynamic.js';
import { NewMessageEvent } from './message.js';

/** The older server's date format, `YYYY-MM-DD HH:mm:ss`, in the gateway's time zone (`TZ`). */
export const OLDER_PAGE_DATE_PATTERN = /^\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2}$/;

const OlderPageDate = z.string().regex(OLDER_PAGE_DATE_PATTERN, 'must be YYYY-MM-DD HH:mm:ss');

/**
 * `new_msg` as an older page (socket.io 1.x/2.x, `login`) receives it: the same fields, with every
 * text field (`title`, `content`, `sender`, `portrait`, `url`) escaped as PHP's `htmlspecialchars`
 * would, because such pages concatenate them into markup, and `date` in the older format.
 */
export const OlderPageMessageEvent = NewMessageEvent.extend({ date: OlderPageDate });
export type OlderPageMessageEvent = z.infer<typeof OlderPageMessageEvent>;

/** `update_dynamic` as an older page receives it: text fields escaped, `date` in the older format. */
export const OlderPageDynamic = Dynamic.extend({ date: OlderPageDate });
export type OlderPageDynamic = z.infer<typeof OlderPageDynamic>;
