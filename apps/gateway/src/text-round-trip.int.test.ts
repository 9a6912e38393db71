import { describe, expect, it } from 'vitest';
import { ApiErrorBody } from '@notify/contracts';
import { useInProcessStack, waitUntil } from '@notify/testing';

// Text is stored and delivered exactly as sent, never escaped or mangled.
const stack = useInProcessStack();

describe('text round trip', () => {

  const title = `<script>alert("x")</script> & 'single' "double" <img src=x onerror=alert(1)>`;
  const content = `中文通知：任务已创建。\n\t${'emoji 🎉👩‍💻 '}\u200b zero-width, \\backslash\\, ${'长'.repeat(2000)} </textarea>`;

  it('delivers and lists a message byte for byte', async () => {
    const page = await stack().page('text-1', 7);
    const sent = await stack().client.sendMessage({ companyID: 7, receiverID: 'text-1', typeID: 1, title, content, sender: '张三 <admin>' });
    const live = await page.waitFor('new_msg', (m) => m.id === sent.body.ids[0]);
    expect(live).toMatchObject({ title, content, sender: '张三 <admin>' });

    const listed = await stack().client.request('GET', '/v1/users/text-1/messages');
    expect(listed.body.items[0]).toMatchObject({ title, content, sender: '张三 <admin>' });
  });

  it('delivers and lists a dynamic byte for byte', async () => {
    const page = await stack().page('text-2', 7);
    const sent = await stack().client.sendDynamic({ companyID: 7, operatorID: 'text-2', operator: '李四 "ops"', title, content, objectType: 'doc', objectID: 'd-1' });
    expect(await page.waitFor('update_dynamic', (d) => d.id === sent.body.id)).toMatchObject({ title, content, operator: '李四 "ops"' });
    await waitUntil(async () => (await stack().client.request('GET', '/v1/objects/doc/d-1/logs')).body.items.length === 1, { timeoutMs: 10_000, message: 'log stored' });
    const log = await stack().client.request('GET', '/v1/objects/doc/d-1/logs?companyID=7');
    expect(log.body.items[0]).toMatchObject({ title, content });
  });
});

// Edge-case text that is valid JSON must either be refused with 400 or come back identical from
// the list and on the socket: never silently changed.
describe('edge-case text in otherwise valid messages', () => {

  // [name, text, mayRefuse]: only text that cannot be stored or sent as-is everywhere (NUL,
  // noncharacters, lone surrogates) may be refused; everything else must round-trip.
  const cases: [string, string, boolean][] = [
    ['NUL', 'before\u0000after', true],
    ['RTL override', '\u202egnp.exe', false],
    ['4-byte emoji and ZWJ', '👩‍👩‍👧‍👦 🎉 𝕳', false],
    ['zero-width and BOM', '\u200b\u200c\u200d\ufeff', false],
    ['U+FFFF and U+10FFFF', '\uffff\u{10ffff}', true],
    ['lone high surrogate', 'a\ud800b', true],
    ['lone low surrogate', 'a\udc00b', true],
    ['CRLF', 'line\r\nX-Injected: 1', false],
    ['SQL', "'; DROP TABLE messages; --", false],
    ['template', '${7*7} {{7*7}} <%= 7*7 %>', false],
  ];

  it.each(cases)('%s: refused with 400 (only if it may be) or round-trips exactly', async (_name, text, mayRefuse) => {
    const uid = `edge-${cases.findIndex(([, t]) => t === text)}`;
    const page = await stack().page(uid, 7);
    try {
      const sent = await stack().client.sendMessage({ companyID: 7, receiverID: uid, typeID: 1, title: text, content: text, sender: text });
      if (sent.status === 400) {
        expect(mayRefuse, `refused with ${JSON.stringify(sent.body).slice(0, 200)}`).toBe(true);
        expect(ApiErrorBody.parse(sent.body).error.issues?.map((issue) => issue.path)).toEqual(expect.arrayContaining(['title']));
        return;
      }
      expect(sent.status).toBe(202);
      const live = await page.waitFor('new_msg', (m) => m.id === sent.body.ids[0], 10_000);
      let listed: { title?: string; content?: string; sender?: string } | undefined;
      await waitUntil(
        async () => {
          listed = (await stack().client.request('GET', `/v1/users/${uid}/messages`)).body.items?.[0];
          return listed !== undefined;
        },
        { timeoutMs: 10_000, message: 'the message is listed' },
      );
      const codes = (s: string | undefined) => [...(s ?? '')].map((c) => c.codePointAt(0)!.toString(16));
      expect({ live: codes(live.title), listed: codes(listed?.title) }).toEqual({ live: codes(text), listed: codes(text) });
      expect([live.content, live.sender, listed?.content, listed?.sender]).toEqual([text, text, text, text]);
    } finally {
      page.close();
    }
  });
});
