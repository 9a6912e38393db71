import { gzipSync } from 'node:zlib';
import type { z } from 'zod';
import { IDENTIFIER_PATTERN, MintTokenBody, ReadSelector, SendDynamicBody, SendMessageBody } from '@notify/contracts';
import { seededRandom } from './seeded-random.js';

/**
 * A deterministic corpus of hostile HTTP requests for the api's POST endpoints: malformed,
 * oversized, deeply nested, wrong-typed, unicode-edge, prototype-pollution and injection-shaped.
 *
 * Every request is invalid by construction, and every JSON body is checked against the contract
 * (zod schema) of its endpoint while generating: a body the contract would accept is never
 * emitted. So an api that answers any of them with 2xx lets invalid input through, and one that
 * answers 5xx crashed on it.
 */

/** The endpoints the corpus targets. `push` is the older phpsocket.io-style push port. */
export type HostileEndpoint = 'messages' | 'dynamics' | 'read' | 'tokens' | 'push';

export interface HostileRequest {
  /** Position in the corpus, for failure messages. */
  n: number;
  endpoint: HostileEndpoint;
  method: 'POST';
  /** Path with any query string. */
  path: string;
  /** What makes it hostile, e.g. `field:typeID=wrong-type` or `raw:truncated`. */
  label: string;
  /** The Content-Type header, if any. */
  contentType?: string;
  /** The body bytes or text, if any. */
  body?: string | Uint8Array;
  headers?: Record<string, string>;
}

export interface HostileCorpusOptions {
  /** Seed of the generator: the same seed gives the same corpus. */
  seed: number;
  /** Requests per endpoint. */
  perEndpoint: number;
  endpoints: readonly HostileEndpoint[];
}

type Random = () => number;
const pick = <T>(random: Random, list: readonly T[]): T => list[Math.floor(random() * list.length)] as T;
const int = (random: Random, min: number, max: number) => min + Math.floor(random() * (max - min + 1));

/** A JSON document written as text, so keys like `__proto__` and duplicate keys survive. */
type Entry = readonly [key: string, value: JsonText];
/** Already-serialized JSON text (a value written by hand, e.g. a 50,000-deep array). */
class JsonText {
  constructor(readonly text: string) {}
}
const json = (value: unknown) => new JsonText(JSON.stringify(value));
const object = (entries: readonly Entry[]) => new JsonText(`{${entries.map(([k, v]) => `${JSON.stringify(k)}:${v.text}`).join(',')}}`);

// ---------------------------------------------------------------------------------------------
// Value pools

/** Strings no identifier may be (1-64 of A-Za-z0-9_.:@-), each hostile in its own way. */
const INVALID_IDENTIFIER_STRINGS = [
  '',
  ' ',
  'a b',
  'x'.repeat(65),
  '1'.repeat(1000),
  // SQL
  "1' OR '1'='1",
  '1; DROP TABLE messages;--',
  '1 UNION SELECT * FROM messages',
  "'; DELETE FROM dynamics WHERE ''='",
  '1/**/OR/**/1=1',
  // NoSQL written as strings
  '{"$gt":""}',
  '$where',
  '[$ne]=1',
  // template / expression
  '${7*7}',
  '{{7*7}}',
  '<%= 7*7 %>',
  '#{7*7}',
  '${jndi:ldap://x/a}',
  // path traversal
  '../../etc/passwd',
  '..\\..\\windows\\win.ini',
  '%2e%2e%2f%2e%2e%2f',
  '/etc/passwd',
  'uid/../../2',
  // markup / headers / format strings
  '<script>alert(1)</script>',
  '1\r\nX-Injected: 1',
  '%s%s%s%n',
  // unicode edge
  '1\u0000',
  '\u0000',
  '1\u202e2',
  '\u200b1',
  '１',
  'é',
  'e\u0301',
  '\ud83d\ude00',
  '👩‍💻',
  '\ud800',
  '\udfff',
  'a\ud800b',
  '\ufeff1',
  '\u2028',
  'ا',
  '1\t',
  '\u00a0',
  '〇',
];

for (const value of INVALID_IDENTIFIER_STRINGS) {
  if (IDENTIFIER_PATTERN.test(value)) throw new Error(`hostile-corpus: ${JSON.stringify(value)} is a valid identifier`);
}

/** Values of the wrong type for any field (each the wrong type for every field it is used on). */
const WRONG_TYPE_VALUES: readonly unknown[] = [
  null,
  true,
  false,
  {},
  [],
  { $gt: '' },
  { $ne: null },
  { $where: 'sleep(1000)' },
  { $regex: '.*' },
  [{ $gt: '' }],
  { toString: 'x' },
  { valueOf: 1 },
  { length: 1 },
  [1, 2],
  [[]],
];

/** Numbers that are no identifier, no typeID and no ttlSeconds. */
const BAD_NUMBERS = [1.5, -0.5, 1e21, -1e21, 2 ** 53 + 2, Number.MAX_VALUE, 5e-324, 0.1];

/** Text that is fine in a free-text field (used to decorate bodies that are invalid elsewhere). */
const EDGE_TEXT = [
  '\ud800',
  'lone \udc00 low',
  'nul\u0000inside',
  '\u202eRTL override',
  'مرحبا بالعالم',
  '𝕳𝖊𝖑𝖑𝖔 🎉👩‍👩‍👧‍👦',
  '\u0000'.repeat(50),
  'zero\u200bwidth\u200c\u200d',
  "'; DROP TABLE messages; --",
  '{"$gt": ""}',
  '${process.exit(1)}',
  '{{constructor.constructor("return process")()}}',
  '<img src=x onerror=alert(1)>',
  '../../../../etc/shadow',
  '\r\n\r\nHTTP/1.1 200 OK',
  'A'.repeat(200),
  '\ufffd\ufffe\uffff',
  '\u{10ffff}',
];

/** Keys that must never be accepted (unknown, or pollution-shaped), with a value each. */
const HOSTILE_KEYS: readonly Entry[] = [
  ['__proto__', json({ polluted: true, isAdmin: true })],
  ['__proto__', json(null)],
  ['constructor', json({ prototype: { polluted: true } })],
  ['prototype', json({ polluted: true })],
  ['__defineGetter__', json('x')],
  ['hasOwnProperty', json(1)],
  ['toString', json('x')],
  ['valueOf', json({})],
  ['isRead', json(true)],
  ['id', json('01J00000000000000000000000')],
  ['readAt', json('2020-01-01T00:00:00Z')],
  ['$where', json('1==1')],
  ['$set', json({ isRead: true })],
  ['receiverId', json(1)],
  ['companyId', json(7)],
  ['', json(1)],
  [' companyID', json(7)],
  ['companyID\u0000', json(7)],
  ['\ud800', json(1)],
];

const BAD_DATES = [
  'yesterday',
  '2026-02-30 00:00:00',
  '2026-13-01 00:00:00',
  '2026-01-01T00:00:00',
  '2026-01-01 24:00:00',
  '99999-01-01T00:00:00Z',
  '0000-00-00 00:00:00',
  '2026-01-01T00:00:00+25:00',
  '\u0000',
  '${now}',
  "'; DROP TABLE messages; --",
];

const NOT_RECORD_IDS = [
  '',
  '1',
  '01J00000000000000000000000X',
  '01j00000000000000000000000',
  '01J0000000000000000000000I',
  'U'.repeat(26),
  "' OR 1=1 --",
  '../../etc/passwd',
  '\ud800'.repeat(26),
  'x'.repeat(5000),
];

// ---------------------------------------------------------------------------------------------
// Valid bases, one per endpoint; the corpus breaks each in some way.

function validMessage(random: Random): Record<string, unknown> {
  const body: Record<string, unknown> = {
    companyID: pick(random, [7, '7', 'acme', 'c-1']),
    typeID: pick(random, [1, 2, 3]),
    title: pick(random, ['Hello', 'Task created', '中文标题']),
    content: pick(random, ['', 'body', 'x'.repeat(100)]),
  };
  if (random() < 0.5) body.receiverID = pick(random, [1, '2', 'user@x']);
  else body.receiverIDs = [1, 2, 'u-3'].slice(0, int(random, 1, 3));
  if (random() < 0.3) body.senderID = 9;
  if (random() < 0.3) body.sender = 'Admin';
  if (random() < 0.2) body.url = 'https://example.com/x';
  if (random() < 0.2) body.date = '2026-01-02 03:04:05';
  return body;
}

function validDynamic(random: Random): Record<string, unknown> {
  const body: Record<string, unknown> = {
    companyID: pick(random, [7, 'acme']),
    operatorID: pick(random, [1, 'op-1']),
    operator: 'Bob',
    title: 'created a task',
    content: 'Task 5',
  };
  if (random() < 0.4) {
    body.objectType = 'task';
    body.objectID = 5;
  }
  if (random() < 0.2) body.receiver = 'Alice';
  return body;
}

function validRead(random: Random): Record<string, unknown> {
  return pick(random, [{ ids: ['01J00000000000000000000000'] }, { typeID: 2 }, { all: true }]);
}

function validToken(random: Random): Record<string, unknown> {
  return random() < 0.5 ? { uid: 1, companyID: 7 } : { uid: 'u-1', companyID: 'acme', ttlSeconds: 60 };
}

interface EndpointShape {
  path: (random: Random) => string;
  schema: z.ZodType;
  base: (random: Random) => Record<string, unknown>;
  /** Field → values that field can never take (besides the generic pools). */
  fields: Record<string, () => unknown[]>;
  required: readonly string[];
  /** A valid body over the size limit (413 territory). */
  oversized: (random: Random) => Record<string, unknown>;
}

const identifierDefects = () => [...INVALID_IDENTIFIER_STRINGS, ...BAD_NUMBERS, ...WRONG_TYPE_VALUES];
const textDefects = (max: number, required = false) => () => [
  'x'.repeat(max + 1),
  'y'.repeat(max * 3),
  42,
  0,
  ...WRONG_TYPE_VALUES,
  ...(required ? [''] : []),
];
const typeIdDefects = () => [0, 4, -1, 9, 1.5, '1', '2', 'system', ...WRONG_TYPE_VALUES, 1e21];
const dateDefects = () => [...BAD_DATES, 0, 1_700_000_000_000, ...WRONG_TYPE_VALUES];

const SAFE_UIDS = ['1', '2', 'u-1', 'user@x'];
const HOSTILE_PATH_UIDS = [
  'a%20b',
  '%00',
  '..%2F..%2Fadmin',
  "1'%20OR%20'1'%3D'1",
  '%24%7B7*7%7D',
  'x'.repeat(65),
  '%E2%80%AE1',
  '%F0%9F%98%80',
  '%ED%A0%80',
  '%C0%AF',
  '__proto__%20',
];

const SHAPES: Record<Exclude<HostileEndpoint, 'push'>, EndpointShape> = {
  messages: {
    path: () => '/v1/messages',
    schema: SendMessageBody,
    base: validMessage,
    fields: {
      companyID: identifierDefects,
      receiverID: identifierDefects,
      receiverIDs: () => [
        [],
        Array.from({ length: 1001 }, (_, n) => n),
        Array.from({ length: 5000 }, (_, n) => `u${n}`),
        [[1]],
        [null],
        ['a b'],
        [{ $gt: '' }],
        '1,2,3',
        { 0: 1 },
        ...INVALID_IDENTIFIER_STRINGS.map((bad) => [1, bad]),
        ...WRONG_TYPE_VALUES.filter((value) => !Array.isArray(value)),
      ],
      senderID: identifierDefects,
      sender: textDefects(200),
      portrait: textDefects(2048),
      typeID: typeIdDefects,
      title: textDefects(200, true),
      content: textDefects(10_000),
      url: textDefects(2048),
      date: dateDefects,
    },
    required: ['companyID', 'typeID', 'title', 'content'],
    oversized: (random) => ({ ...validMessage(random), content: 'x'.repeat(int(random, 270_000, 600_000)) }),
  },
  dynamics: {
    path: () => '/v1/dynamics',
    schema: SendDynamicBody,
    base: validDynamic,
    fields: {
      companyID: identifierDefects,
      operatorID: identifierDefects,
      operator: textDefects(200, true),
      portrait: textDefects(2048),
      receiver: textDefects(200),
      title: textDefects(200, true),
      content: textDefects(10_000),
      url: textDefects(2048),
      objectType: identifierDefects,
      objectID: identifierDefects,
      date: dateDefects,
    },
    required: ['companyID', 'operatorID', 'operator', 'title', 'content'],
    oversized: (random) => ({ ...validDynamic(random), title: 'x'.repeat(int(random, 270_000, 400_000)) }),
  },
  read: {
    path: (random) => `/v1/users/${random() < 0.85 ? pick(random, SAFE_UIDS) : pick(random, HOSTILE_PATH_UIDS)}/messages/read`,
    schema: ReadSelector,
    base: validRead,
    fields: {
      ids: () => [
        [],
        Array.from({ length: 1001 }, () => '01J00000000000000000000000'),
        '01J00000000000000000000000',
        [1],
        [null],
        [[]],
        [{ $gt: '' }],
        ...NOT_RECORD_IDS.map((bad) => [bad]),
        ...WRONG_TYPE_VALUES.filter((value) => !Array.isArray(value)),
      ],
      typeID: typeIdDefects,
      all: () => [false, 'true', 1, 0, ...WRONG_TYPE_VALUES],
    },
    required: [],
    oversized: () => ({ ids: Array.from({ length: 12_000 }, () => '01J00000000000000000000000') }),
  },
  tokens: {
    path: () => '/v1/tokens',
    schema: MintTokenBody,
    base: validToken,
    fields: {
      uid: identifierDefects,
      companyID: identifierDefects,
      ttlSeconds: () => [0, -1, 7 * 24 * 3600 + 1, 1e12, 1.5, '60', Number.MAX_VALUE, ...WRONG_TYPE_VALUES],
    },
    required: ['uid', 'companyID'],
    oversized: () => ({ uid: 1, companyID: 7, pad: 'x'.repeat(300_000) }),
  },
};

// ---------------------------------------------------------------------------------------------
// Mutations

interface Draft {
  label: string;
  contentType?: string;
  body?: string | Uint8Array;
  headers?: Record<string, string>;
  /** When set, the body is JSON and must NOT parse under the endpoint's contract. */
  json?: string;
}

const JSON_TYPE = 'application/json';

/** A body from entries, with its label. */
function entriesOf(body: Record<string, unknown>): Entry[] {
  return Object.entries(body).map(([key, value]) => [key, json(value)] as const);
}

/** `depth` levels of `[` … `]` or `{"a":` … `}` around `inner`. */
function nested(depth: number, kind: 'array' | 'object', inner = '1'): JsonText {
  return kind === 'array'
    ? new JsonText(`${'['.repeat(depth)}${inner}${']'.repeat(depth)}`)
    : new JsonText(`${'{"a":'.repeat(depth)}${inner}${'}'.repeat(depth)}`);
}

/** Puts edge-case text into some free-text fields: valid there, so only decoration. */
function decorate(random: Random, entries: Entry[]): Entry[] {
  const text = new Set(['title', 'content', 'sender', 'operator', 'receiver']);
  return entries.map(([key, value]) => (text.has(key) && random() < 0.5 ? [key, json(pick(random, EDGE_TEXT))] : [key, value]));
}

function fieldDefect(random: Random, shape: EndpointShape): Draft {
  const entries = entriesOf(shape.base(random));
  const fields = Object.keys(shape.fields);
  // Read selectors are one-key objects: a defect replaces the key's value (or the whole selector).
  const targets = shape === SHAPES.read ? [pick(random, fields)] : Array.from({ length: int(random, 1, 3) }, () => pick(random, fields));
  let result = shape === SHAPES.read ? [] : decorate(random, entries);
  const labels: string[] = [];
  for (const field of targets) {
    const value = pick(random, shape.fields[field]!());
    result = [...result.filter(([key]) => key !== field), [field, json(value)]];
    labels.push(field);
  }
  return { label: `field:${labels.join('+')}`, json: object(result).text };
}

function missingRequired(random: Random, shape: EndpointShape): Draft {
  const body = shape.base(random);
  const drop = shape.required.filter(() => random() < 0.5);
  const removed = drop.length > 0 ? drop : [pick(random, shape.required.length > 0 ? shape.required : Object.keys(body))];
  if (shape === SHAPES.messages && random() < 0.3) {
    // Neither or both of receiverID / receiverIDs.
    if (random() < 0.5) removed.push('receiverID', 'receiverIDs');
    else Object.assign(body, { receiverID: 1, receiverIDs: [2] });
  }
  const entries = decorate(random, entriesOf(body).filter(([key]) => !removed.includes(key)));
  return { label: `missing:${removed.join('+')}`, json: object(entries).text };
}

function hostileKey(random: Random, shape: EndpointShape): Draft {
  const extra = Array.from({ length: int(random, 1, 3) }, () => pick(random, HOSTILE_KEYS));
  const entries = [...entriesOf(shape.base(random)), ...extra];
  // Sometimes the hostile key comes first, sometimes it is nested inside a field.
  if (random() < 0.3) entries.reverse();
  return { label: `key:${extra.map(([key]) => JSON.stringify(key)).join('+')}`, json: object(entries).text };
}

function deepNesting(random: Random, shape: EndpointShape): Draft {
  const depth = pick(random, [64, 512, 4096, 20_000, 100_000]);
  const kind = random() < 0.5 ? 'array' : 'object';
  const where = random();
  if (where < 0.3) return { label: `deep:top:${kind}:${depth}`, json: nested(depth, kind).text };
  const field = pick(random, [...Object.keys(shape.fields), '__proto__', 'constructor']);
  const entries = [...entriesOf(shape.base(random)).filter(([key]) => key !== field), [field, nested(depth, kind)] as const];
  return { label: `deep:${field}:${kind}:${depth}`, json: object(entries).text };
}

function wrongTopLevel(random: Random, shape: EndpointShape): Draft {
  const base = JSON.stringify(shape.base(random));
  const text = pick(random, [
    'null',
    'true',
    'false',
    '0',
    '-1',
    '1e309',
    '"string"',
    '""',
    '[]',
    `[${base}]`,
    `[${base},${base}]`,
    JSON.stringify(JSON.stringify(shape.base(random))),
    '{}',
    JSON.stringify({ body: shape.base(random) }),
    JSON.stringify({ data: shape.base(random) }),
  ]);
  return { label: `top:${text.slice(0, 12)}`, json: text };
}

function oversized(random: Random, shape: EndpointShape): Draft {
  const body = shape.oversized(random);
  return { label: 'oversized:body', json: JSON.stringify(body) };
}

/** Text that is not JSON at all; each variant is malformed for every endpoint. */
function malformedJson(random: Random, shape: EndpointShape): Draft {
  const valid = JSON.stringify(shape.base(random));
  const variant = int(random, 0, 13);
  const cut = int(random, 1, valid.length - 1);
  const texts: [string, string][] = [
    ['truncated', valid.slice(0, cut)],
    ['trailing-comma', `${valid.slice(0, -1)},}`],
    ['single-quotes', valid.replaceAll('"', "'")],
    ['unquoted-keys', valid.replace(/"([A-Za-z]+)":/g, '$1:')],
    ['nan', `${valid.slice(0, -1)},"x":NaN}`],
    ['undefined', `${valid.slice(0, -1)},"x":undefined}`],
    ['comment', `/* hi */${valid}`],
    ['two-docs', `${valid}${valid}`],
    ['bad-escape', `${valid.slice(0, -1)},"x":"\\u00zz"}`],
    ['raw-control', `${valid.slice(0, -1)},"title":"a\u0001\u0002b"}`],
    ['unterminated', `${valid.slice(0, -1)},"x":"abc`],
    ['garbage', Array.from({ length: int(random, 1, 200) }, () => String.fromCharCode(int(random, 33, 126))).join('')],
    ['brackets', '['.repeat(int(random, 1, 1000))],
    ['xml', '<?xml version="1.0"?><message><title>x</title></message>'],
  ];
  const [label, text] = texts[variant]!;
  // Some "garbage" can be valid JSON (a lone digit); make sure it is not.
  const body = isJson(text) ? `${text}}` : text;
  return { label: `raw:${label}`, contentType: JSON_TYPE, body };
}

/** Bytes that are not UTF-8 (overlong, lone continuation, surrogate halves encoded, truncated) inside an otherwise broken body. */
function invalidUtf8(random: Random, shape: EndpointShape): Draft {
  const sequences = [[0xc0, 0xaf], [0xe0, 0x80, 0xaf], [0xed, 0xa0, 0x80], [0xff, 0xfe], [0xff], [0xc3, 0x28], [0xf0, 0x9f, 0x98], [0x80], [0xf8, 0x88, 0x80, 0x80, 0x80], [0xf4, 0x90, 0x80, 0x80]];
  const bad = Buffer.from(pick(random, sequences));
  const field = pick(random, Object.keys(shape.fields));
  // The broken bytes go into a field (refused as not UTF-8 before any decoding), or outside any
  // string, where they break the JSON too.
  const head = Buffer.from(`{"${field}":"`);
  const tail = Buffer.from(`"${random() < 0.5 ? '' : ','}`);
  const bytes = Buffer.concat([head, bad, tail, random() < 0.5 ? bad : Buffer.from('}')]);
  return { label: `utf8:${field}`, contentType: JSON_TYPE, body: new Uint8Array(bytes), json: undefined, headers: undefined };
}

/** A perfectly valid body sent as something that is not JSON: the api must not guess. */
function wrongContentType(random: Random, shape: EndpointShape): Draft {
  const valid = JSON.stringify(shape.base(random));
  const [type, body] = pick(random, [
    ['text/plain', valid],
    ['text/html', valid],
    ['application/x-www-form-urlencoded', new URLSearchParams(Object.entries(shape.base(random)).map(([k, v]): [string, string] => [k, String(v)])).toString()],
    ['multipart/form-data; boundary=x', `--x\r\nContent-Disposition: form-data; name="title"\r\n\r\nx\r\n--x--\r\n`],
    ['application/xml', '<message/>'],
    ['application/octet-stream', valid],
    ['', valid],
    ['application/javascript', valid],
    ['image/png', '\u0089PNG\r\n'],
  ] as const);
  // Bytes, not text, for "(none)": fetch would label a string text/plain.
  return type ? { label: `type:${type}`, contentType: type, body } : { label: 'type:(none)', body: new TextEncoder().encode(body) };
}

/** Broken or unsupported Content-Encoding and charsets on invalid bodies. */
function encodingAbuse(random: Random, shape: EndpointShape): Draft {
  const broken = JSON.stringify({ ...shape.base(random), ['__proto__x']: 1 });
  const variant = int(random, 0, 6);
  switch (variant) {
    case 0:
      return { label: 'enc:gzip-garbage', contentType: JSON_TYPE, headers: { 'content-encoding': 'gzip' }, body: 'not gzip at all' };
    case 1:
      return { label: 'enc:deflate-garbage', contentType: JSON_TYPE, headers: { 'content-encoding': 'deflate' }, body: '\u0000\u0001\u0002' };
    case 2:
      return { label: 'enc:unknown', contentType: JSON_TYPE, headers: { 'content-encoding': 'x-evil' }, body: broken };
    case 3:
      // A gzip bomb: 40 MB of zeros inflating from a few KB; the limit must apply to the inflated size.
      return { label: 'enc:gzip-bomb', contentType: JSON_TYPE, headers: { 'content-encoding': 'gzip' }, body: new Uint8Array(gzipBomb()) };
    case 4:
      return { label: 'charset:utf-16', contentType: 'application/json; charset=utf-16', body: broken };
    case 5:
      return { label: 'charset:bogus', contentType: 'application/json; charset=x-klingon', body: broken };
    default:
      return { label: 'enc:gzip-invalid-json', contentType: JSON_TYPE, headers: { 'content-encoding': 'gzip' }, body: new Uint8Array(gzipSync(`${broken}}`)) };
  }
}

let bomb: Buffer | undefined;
function gzipBomb(): Buffer {
  bomb ??= gzipSync(Buffer.concat([Buffer.from('{"title":"'), Buffer.alloc(40 * 1024 * 1024, 0x61), Buffer.from('"}')]), { level: 9 });
  return bomb;
}

function isJson(text: string): boolean {
  try {
    JSON.parse(text);
    return true;
  } catch {
    return false;
  }
}

/** Weighted mutation kinds: mostly structural defects, a few expensive ones. */
const MUTATIONS: readonly [weight: number, (random: Random, shape: EndpointShape) => Draft][] = [
  [30, fieldDefect],
  [10, missingRequired],
  [12, hostileKey],
  [6, deepNesting],
  [8, wrongTopLevel],
  [14, malformedJson],
  [5, invalidUtf8],
  [8, wrongContentType],
  [3, encodingAbuse],
  [1, oversized],
];
const TOTAL_WEIGHT = MUTATIONS.reduce((sum, [weight]) => sum + weight, 0);

function mutation(random: Random) {
  let roll = random() * TOTAL_WEIGHT;
  for (const [weight, make] of MUTATIONS) {
    roll -= weight;
    if (roll < 0) return make;
  }
  return MUTATIONS[0]![1];
}

/** True when `text` parses as JSON and the contract accepts it: such a body is not hostile. */
function acceptedByContract(schema: z.ZodType, text: string): boolean {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    return false;
  }
  return schema.safeParse(value).success;
}

// ---------------------------------------------------------------------------------------------
// /push (form, query or JSON fields; `action=message|dynamic`)

function pushDraft(random: Random): { label: string; path: string; contentType?: string; body?: string } {
  const action = pick(random, ['message', 'dynamic', '', 'admin', '__proto__', '../message', 'message\u0000', 'MESSAGE', 'message,dynamic']);
  const fields: Record<string, string> = action === 'dynamic'
    ? { action, companyID: '7', operatorID: '1', operator: 'Bob', title: 'x', content: 'y' }
    : { action, companyID: '7', receiverID: '1', typeID: '1', title: 'x', content: 'y' };
  // Whatever the action, one field is broken too, so no reading of the action makes it valid.
  const field = pick(random, Object.keys(fields).filter((key) => key !== 'action'));
  const defect = () => pushDefect(random, field);
  fields[field] = defect();
  const style = pick(random, ['form', 'query', 'json', 'form-dup', 'form-bracket'] as const);
  const params = new URLSearchParams(fields);
  switch (style) {
    case 'form':
      return { label: `push:form:${action}:${field}`, path: '/push', contentType: 'application/x-www-form-urlencoded', body: params.toString() };
    case 'query':
      return { label: `push:query:${action}:${field}`, path: `/push?${params.toString()}` };
    case 'json':
      return { label: `push:json:${action}:${field}`, path: '/push', contentType: JSON_TYPE, body: JSON.stringify(fields) };
    case 'form-dup':
      params.append(field, defect());
      params.append('action', 'dynamic');
      return { label: `push:dup:${action}:${field}`, path: '/push', contentType: 'application/x-www-form-urlencoded', body: params.toString() };
    default:
      return {
        label: `push:bracket:${action}`,
        path: '/push',
        contentType: 'application/x-www-form-urlencoded',
        body: `${params.toString()}&receiverID[$gt]=&__proto__[polluted]=1&constructor[prototype][polluted]=1`,
      };
  }
}

/** A value `field` of a push can never take. */
function pushDefect(random: Random, field: string): string {
  switch (field) {
    case 'typeID':
      return pick(random, ['0', '4', '9', '1.5', '', 'one', '1e400', '-1']);
    case 'title':
      return pick(random, ['', 'x'.repeat(201), 'y'.repeat(20_000)]);
    case 'operator':
      return pick(random, ['', 'o'.repeat(201)]);
    case 'content':
      return 'c'.repeat(10_001 + int(random, 0, 5000));
    case 'companyID':
      // An empty field counts as absent, and a message without companyID is valid (PUSH_DEFAULT_COMPANY_ID).
      return pick(random, INVALID_IDENTIFIER_STRINGS.filter((value) => value !== ''));
    default:
      return pick(random, INVALID_IDENTIFIER_STRINGS);
  }
}

/**
 * The corpus: `perEndpoint` requests for each endpoint, the same for the same seed. Each JSON
 * body is guaranteed invalid under its endpoint's contract; non-JSON bodies are invalid by kind.
 */
export function hostileCorpus(options: HostileCorpusOptions): HostileRequest[] {
  const random = seededRandom(options.seed);
  const corpus: HostileRequest[] = [];
  for (const endpoint of options.endpoints) {
    let made = 0;
    while (made < options.perEndpoint) {
      if (endpoint === 'push') {
        const draft = pushDraft(random);
        corpus.push({ n: corpus.length, endpoint, method: 'POST', ...draft });
        made += 1;
        continue;
      }
      const shape = SHAPES[endpoint];
      const draft = mutation(random)(random, shape);
      if (draft.json !== undefined) {
        if (acceptedByContract(shape.schema, draft.json)) continue; // not hostile after all
        draft.body = draft.json;
        draft.contentType ??= JSON_TYPE;
      }
      const { json: _text, ...rest } = draft;
      corpus.push({ n: corpus.length, endpoint, method: 'POST', path: shape.path(random), ...rest });
      made += 1;
    }
  }
  return corpus;
}
