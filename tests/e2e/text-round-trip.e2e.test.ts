import { describe, expect, it } from 'vitest';
import { useStack, waitUntil } from '@notify/testing';

// Acceptance 7: text is stored and delivered exactly as sent, never escaped or mangled.
describe('text round trip', () => {
  const fx = useStack();

  const title = `<script>alert("x")</script> & 'single' "double" <img src=x onerror=alert(1)>`;
  const content = `中文通知：任务已创建。\n\t${'emoji 🎉👩‍💻 '}\u200b zero-width, \\backslash\\, ${'长'.repeat(2000)} </textarea>`;

  it('delivers and lists a message byte for byte', async () => {
    const page = await fx.page('text-1', 7);
    const sent = await fx.api.sendMessage({ companyID: 7, receiverID: 'text-1', typeID: 1, title, content, sender: '张三 <admin>' });
    const live = await page.waitFor('new_msg', (m) => m.id === sent.body.ids[0]);
    expect(live).toMatchObject({ title, content, sender: '张三 <admin>' });

    const listed = await fx.api.request('GET', '/v1/users/text-1/messages');
    expect(listed.body.items[0]).toMatchObject({ title, content, sender: '张三 <admin>' });
  });

  it('delivers and lists a dynamic byte for byte', async () => {
    const page = await fx.page('text-2', 7);
    const sent = await fx.api.sendDynamic({ companyID: 7, operatorID: 'text-2', operator: '李四 "ops"', title, content, objectType: 'doc', objectID: 'd-1' });
    expect(await page.waitFor('update_dynamic', (d) => d.id === sent.body.id)).toMatchObject({ title, content, operator: '李四 "ops"' });
    await waitUntil(async () => (await fx.api.request('GET', '/v1/objects/doc/d-1/logs')).body.items.length === 1, { timeoutMs: 10_000, message: 'log stored' });
    const log = await fx.api.request('GET', '/v1/objects/doc/d-1/logs?companyID=7');
    expect(log.body.items[0]).toMatchObject({ title, content });
  });
});
