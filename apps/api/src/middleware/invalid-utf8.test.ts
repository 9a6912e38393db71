import { describe, expect, it } from 'vitest';
import { invalidUtf8InForm, invalidUtf8InJson } from './invalid-utf8.js';

/** A body with `bad` bytes spliced in wherever `@` stands. */
const json = (text: string, bad: number[]) =>
  Buffer.concat(text.split('@').flatMap((part, i) => (i === 0 ? [Buffer.from(part)] : [Buffer.from(bad), Buffer.from(part)])));
const paths = (issues: { path: string }[]) => issues.map((issue) => issue.path);

/** The review's cases: a lone FF, C3 followed by a non-continuation, overlong /, an encoded surrogate, a truncated emoji. */
const INVALID = [[0xff], [0xc3, 0x28], [0xc0, 0xaf], [0xed, 0xa0, 0x80], [0xf0, 0x9f, 0x98]];

describe('invalidUtf8InJson', () => {
  it.each(INVALID.map((bytes) => [Buffer.from(bytes).toString('hex'), bytes] as const))('names the field holding %s', (_hex, bad) => {
    expect(paths(invalidUtf8InJson(json('{"companyID":7,"title":"a@b","content":"ok"}', bad)))).toEqual(['title']);
  });

  it('finds nothing in UTF-8, including escapes, emoji and a real U+FFFD', () => {
    expect(invalidUtf8InJson(Buffer.from('{"title":"\\u00e9 é 🎉 \ufffd \\"quoted\\"","n":[1,"x"]}'))).toEqual([]);
  });

  it('names every field, nested ones by their dotted path, once each', () => {
    const body = json('{"receiverIDs":["ok","@"],"title":"@","sender":"x\\"@","nested":{"a":{"b":"@"}}}', [0xff]);
    expect(paths(invalidUtf8InJson(body)).sort()).toEqual(['nested.a.b', 'receiverIDs.1', 'sender', 'title']);
  });

  it('names a bad field name by its parent, and bytes outside any string as the body', () => {
    expect(invalidUtf8InJson(json('{"ti@tle":"x"}', [0xff]))).toEqual([{ path: '(body)', message: expect.stringMatching(/field name/) }]);
    expect(paths(invalidUtf8InJson(json('{"a":{"@":1}}', [0xc3, 0x28])))).toEqual(['a']);
    expect(paths(invalidUtf8InJson(json('{"title":@}', [0xff])))).toEqual(['(body)']);
    expect(paths(invalidUtf8InJson(json('{"title":"unterminated @', [0xff])))).toEqual(['title']);
  });
});

describe('invalidUtf8InForm', () => {
  it('names the field whose percent-decoded value is not UTF-8, in a form or a query string', () => {
    expect(paths(invalidUtf8InForm('action=message&title=%FF&content=%C3%A9', '(query)'))).toEqual(['title']);
    expect(paths(invalidUtf8InForm(Buffer.from('title=ok&content=%C3%28&sender=%ED%A0%80'), '(body)'))).toEqual(['content', 'sender']);
    expect(paths(invalidUtf8InForm(Buffer.concat([Buffer.from('title='), Buffer.from([0xf0, 0x9f, 0x98])]), '(body)'))).toEqual(['title']);
  });

  it('finds nothing in UTF-8 forms, raw or percent-encoded, with + as a space and stray %', () => {
    expect(invalidUtf8InForm('title=%E4%B8%AD+%F0%9F%8E%89&content=100%25&x=%zz&y=50%', '(query)')).toEqual([]);
    expect(invalidUtf8InForm(Buffer.from('title=中文&content=é'), '(body)')).toEqual([]);
  });

  it('names a field name that is not UTF-8 by the part it is in', () => {
    expect(invalidUtf8InForm('ti%FFtle=x', '(query)')).toEqual([{ path: '(query)', message: expect.stringMatching(/field name/) }]);
  });
});
