import type { Dynamic, NewMessageEvent, OlderPageDynamic, OlderPageMessageEvent } from '@notify/contracts';
import { htmlSpecialChars } from './html-special-chars.js';
import { olderPageDate } from './older-page-date.js';

/** Escapes the listed text fields that are present, leaving the rest of the record as it is. */
function escaped<T extends object>(record: T, fields: readonly (keyof T)[]): T {
  const copy = { ...record };
  for (const field of fields) {
    const value = copy[field];
    if (typeof value === 'string') copy[field] = htmlSpecialChars(value) as T[keyof T];
  }
  return copy;
}

const MESSAGE_TEXT = ['title', 'content', 'sender', 'portrait', 'url'] as const;
const DYNAMIC_TEXT = ['title', 'content', 'operator', 'receiver', 'portrait', 'url'] as const;

/**
 * `new_msg` for an older page: every text field escaped as `htmlspecialchars` would (such pages
 * build their HTML from it; the older server escaped title and content, and the others are no safer
 * to concatenate), `date` as `YYYY-MM-DD HH:mm:ss` in `timeZone`. Identifiers never need escaping.
 */
export function toOlderPageMessage(message: NewMessageEvent, timeZone: string): OlderPageMessageEvent {
  return { ...escaped(message, MESSAGE_TEXT), date: olderPageDate(message.date, timeZone) };
}

/** `update_dynamic` for an older page, converted as {@link toOlderPageMessage} converts a message. */
export function toOlderPageDynamic(dynamic: Dynamic, timeZone: string): OlderPageDynamic {
  return { ...escaped(dynamic, DYNAMIC_TEXT), date: olderPageDate(dynamic.date, timeZone) };
}
