import { isUtf8 } from 'node:buffer';
import type { Issue } from '@notify/contracts';

/**
 * Where a request carries bytes that are not UTF-8. Decoding them would put U+FFFD in their place,
 * and text is stored exactly as sent, so such a request is refused instead; these find the fields
 * to name in its issues.
 */

const MESSAGE = 'is not valid UTF-8 (text must be sent as UTF-8; these bytes could not be stored as sent)';
const NAME_MESSAGE = 'has a field name that is not valid UTF-8';

type Container = { kind: 'object'; key: string | undefined; expectKey: boolean } | { kind: 'array'; index: number };

const QUOTE = 0x22;
const BACKSLASH = 0x5c;

/** The dotted path of the value being read (`receiverIDs.0`), or `(body)` at the top. */
function pathOf(stack: readonly Container[]): string {
  const parts = stack.map((container) => (container.kind === 'array' ? String(container.index) : (container.key ?? '')));
  return parts.length > 0 ? parts.join('.') : '(body)';
}

/** A field name as JSON means it (escapes resolved); as it stands when it is not a valid JSON string. */
function keyText(raw: Buffer): string {
  const text = raw.toString('utf8');
  try {
    return JSON.parse(`"${text}"`) as string;
  } catch {
    return text;
  }
}

/**
 * Every field of a JSON body whose string holds bytes that are not UTF-8, by its path; `(body)`
 * for such bytes outside any string. Empty when the body is UTF-8. Reads the bytes as far as they
 * go: a body that is not JSON at all still gets an answer, and the JSON parser names its own errors.
 */
export function invalidUtf8InJson(body: Uint8Array): Issue[] {
  if (isUtf8(body)) return [];
  const bytes = Buffer.from(body.buffer, body.byteOffset, body.byteLength);
  const issues = new Map<string, Issue>();
  const add = (path: string, message: string) => issues.set(`${path}\n${message}`, { path, message });
  const stack: Container[] = [];
  for (let i = 0; i < bytes.length; i += 1) {
    const byte = bytes[i] as number;
    const top = stack.at(-1);
    if (byte === QUOTE) {
      // Structural JSON characters are ASCII, and no byte of a multi-byte sequence (valid or not) is.
      let end = i + 1;
      while (end < bytes.length && bytes[end] !== QUOTE) end += bytes[end] === BACKSLASH ? 2 : 1;
      const text = bytes.subarray(i + 1, Math.min(end, bytes.length));
      if (top?.kind === 'object' && top.expectKey) {
        if (!isUtf8(text)) add(stack.length > 1 ? pathOf(stack.slice(0, -1)) : '(body)', NAME_MESSAGE);
        top.key = keyText(text);
        top.expectKey = false;
      } else if (!isUtf8(text)) {
        add(pathOf(stack), MESSAGE);
      }
      i = end;
    } else if (byte === 0x7b /* { */) {
      stack.push({ kind: 'object', key: undefined, expectKey: true });
    } else if (byte === 0x5b /* [ */) {
      stack.push({ kind: 'array', index: 0 });
    } else if (byte === 0x7d /* } */ || byte === 0x5d /* ] */) {
      stack.pop();
    } else if (byte === 0x2c /* , */ && top) {
      if (top.kind === 'array') top.index += 1;
      else Object.assign(top, { key: undefined, expectKey: true });
    } else if (byte >= 0x80) {
      add('(body)', 'is not valid UTF-8');
    }
  }
  return [...issues.values()];
}

/** The bytes a form or query string component stands for: `+` is a space, `%XX` a byte. */
function percentDecoded(component: string): Buffer {
  const bytes: number[] = [];
  for (let i = 0; i < component.length; i += 1) {
    const char = component.charCodeAt(i);
    const hex = char === 0x25 ? component.slice(i + 1, i + 3) : '';
    if (/^[0-9a-fA-F]{2}$/.test(hex)) {
      bytes.push(Number.parseInt(hex, 16));
      i += 2;
    } else if (char === 0x2b) {
      bytes.push(0x20);
    } else {
      bytes.push(...Buffer.from(component[i] as string, 'latin1'));
    }
  }
  return Buffer.from(bytes);
}

/**
 * Every field of a form body or query string (`a=1&b=%FF`) whose name or value, percent-decoded,
 * is not UTF-8. `where` names the part in the issues when the field's name cannot (`(body)`, `(query)`).
 */
export function invalidUtf8InForm(form: Uint8Array | string, where: '(body)' | '(query)'): Issue[] {
  // Raw bytes of a body read as latin1: one character per byte, so `%`, `+` and the rest are found as they are.
  const text = typeof form === 'string' ? form : Buffer.from(form.buffer, form.byteOffset, form.byteLength).toString('latin1');
  if (!/[%\x80-\xff]/.test(text)) return [];
  const issues = new Map<string, Issue>();
  for (const pair of text.split('&')) {
    const equals = pair.indexOf('=');
    const name = percentDecoded(equals < 0 ? pair : pair.slice(0, equals));
    const value = percentDecoded(equals < 0 ? '' : pair.slice(equals + 1));
    if (!isUtf8(name)) {
      issues.set(`${where}\n${NAME_MESSAGE}`, { path: where, message: NAME_MESSAGE });
    } else if (!isUtf8(value)) {
      const path = name.toString('utf8') || where;
      issues.set(`${path}\n${MESSAGE}`, { path, message: MESSAGE });
    }
  }
  return [...issues.values()];
}
