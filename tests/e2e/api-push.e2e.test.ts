import { describe, expect, it } from 'vitest';
import { ApiClient, useStack, waitUntil, type ApiResponse } from '@notify/testing';

// SPEC `GET|POST /push`: the older phpsocket.io push port, drop-in. `ok` = queued and the receiver
// has a page open; `offline` = queued and stored for their next login; `fail` = refused.
describe('/push, the older push port', () => {
  const fx = useStack();

  /** A form body exactly as PHP's http_build_query() sends one. */
  const form = (fields: Record<string, string | number>) =>
    new URLSearchParams(Object.entries(fields).map(([name, value]): [string, string] => [name, String(value)]));
  const postForm = (fields: Record<string, string | number>, client: ApiClient = fx.api) =>
    client.request('POST', '/push', { rawBody: form(fields), headers: { 'content-type': 'application/x-www-form-urlencoded' } });
  const expectText = (response: ApiResponse, status: number, text: string) => {
    expect({ status: response.status, body: response.body }).toEqual({ status, body: text });
    expect(response.headers.get('content-type')).toMatch(/^text\/plain/);
  };
  const messagesOf = async (uid: string | number) =>
    (await fx.api.request('GET', `/v1/users/${uid}/messages?companyID=7&limit=100`)).body.items as { title: string; typeID: number }[];
  const storedTitles = async (uid: string | number) => (await messagesOf(uid)).map((message) => message.title);
  const waitForOnline = (uid: string) =>
    waitUntil(async () => ((await fx.api.request('GET', '/v1/companies/7/online')).body.uids as string[]).includes(uid), {
      timeoutMs: 5000,
      message: `user ${uid} online`,
    });

  it('answers offline when the receiver has no page open, and stores the message for later', async () => {
    const response = await postForm({ action: 'message', receiverID: 1, companyID: 7, typeID: 1, title: 'While away', content: 'Hello' });
    expectText(response, 200, 'offline');
    await waitUntil(async () => (await storedTitles(1)).includes('While away'), { timeoutMs: 10_000, message: 'message stored' });
    expect((await messagesOf(1))[0]).toMatchObject({ title: 'While away', typeID: 1 });
  });

  it('answers ok when the receiver has a page open, and the page gets new_msg', async () => {
    const page = await fx.page(2, 7);
    await waitForOnline('2');
    const response = await postForm({
      action: 'message', receiverID: 2, companyID: 7, senderID: 3, sender: 'Bob', typeID: 2, title: 'Live', content: '<b>as text</b>',
      url: '', portrait: '', date: '2026-11-26 10:00:00',
    });
    expectText(response, 200, 'ok');
    const message = await page.waitFor('new_msg', (m) => m.title === 'Live', 10_000);
    expect(message).toMatchObject({ receiverID: '2', companyID: '7', senderID: '3', sender: 'Bob', typeID: 2, content: '<b>as text</b>' });
    // Empty form fields mean "absent".
    expect(message).not.toHaveProperty('url');
    expect(message).not.toHaveProperty('portrait');
  });

  it('answers ok for a dynamic, and the company page gets update_dynamic', async () => {
    const page = await fx.page(4, 7);
    const response = await postForm({ action: 'dynamic', companyID: 7, operatorID: 3, operator: 'Bob', title: 'created a task', content: 'Task 5', objectType: 'task', objectID: 5 });
    expectText(response, 200, 'ok');
    expect(await page.waitFor('update_dynamic', (d) => d.title === 'created a task', 10_000)).toMatchObject({ operatorID: '3', objectID: '5' });
  });

  it('takes a GET with a query string, the key as a field', async () => {
    const query = form({ action: 'message', receiverID: 5, companyID: 7, typeID: 3, title: 'By GET', content: 'q', key: fx.stack.apiKey });
    expectText(await new ApiClient(fx.stack.apiUrl).request('GET', `/push?${query}`), 200, 'offline');
    await waitUntil(async () => (await storedTitles(5)).includes('By GET'), { timeoutMs: 10_000, message: 'GET message stored' });
  });

  it('takes JSON, and the key as a form field', async () => {
    const json = await fx.api.request('POST', '/push', { body: { action: 'message', receiverID: 6, companyID: 7, typeID: 1, title: 'By JSON', content: '' } });
    expectText(json, 200, 'offline');
    const keyField = await postForm({ action: 'message', receiverID: 6, companyID: 7, typeID: 1, title: 'By key field', content: '', key: fx.stack.apiKey }, new ApiClient(fx.stack.apiUrl));
    expectText(keyField, 200, 'offline');
    await waitUntil(async () => (await storedTitles(6)).length === 2, { timeoutMs: 10_000, message: 'both stored' });
  });

  it('answers 400 fail for invalid input, and stores nothing', async () => {
    const valid = { action: 'message', receiverID: 'bad1', companyID: 7, typeID: 1, title: 'Refused', content: 'x' };
    const invalid: Record<string, string | number>[] = [
      { ...valid, typeID: 9 },
      { ...valid, typeID: 'one' },
      { ...valid, action: 'publish' },
      { ...valid, title: '' },
      { ...valid, receiverID: 'has space' },
      { ...valid, date: 'yesterday' },
      { ...valid, unknownField: 1 },
      { receiverID: 'bad1', companyID: 7, typeID: 1, title: 'no action', content: 'x' },
      { action: 'dynamic', companyID: 7, title: 'no operator', content: 'x' },
    ];
    for (const fields of invalid) expectText(await postForm(fields), 400, 'fail');
    expectText(await fx.api.request('POST', '/push', { body: [valid] }), 400, 'fail');
    expectText(await fx.api.request('POST', '/push', { rawBody: '{"action":', headers: { 'content-type': 'application/json' } }), 400, 'fail');

    // One valid message after them: once it is stored, anything enqueued before it would be too.
    expectText(await postForm({ ...valid, title: 'Marker' }), 200, 'offline');
    await waitUntil(async () => (await storedTitles('bad1')).includes('Marker'), { timeoutMs: 10_000, message: 'marker stored' });
    expect(await storedTitles('bad1')).toEqual(['Marker']);
  });

  it('answers 401 fail without a key or with a wrong one', async () => {
    const fields = { action: 'message', receiverID: 'nokey', companyID: 7, typeID: 1, title: 'No key', content: 'x' };
    const anonymous = new ApiClient(fx.stack.apiUrl);
    expectText(await postForm(fields, anonymous), 401, 'fail');
    expectText(await postForm({ ...fields, key: 'x'.repeat(40) }, anonymous), 401, 'fail');
    expectText(await postForm(fields, new ApiClient(fx.stack.apiUrl, 'x'.repeat(40))), 401, 'fail');
    // A wrong header is not rescued by a right key field.
    expectText(await postForm({ ...fields, key: fx.stack.apiKey }, new ApiClient(fx.stack.apiUrl, 'x'.repeat(40))), 401, 'fail');
    expectText(await anonymous.request('GET', `/push?${form(fields)}`), 401, 'fail');
  });

  it('answers 503 fail quickly while Redis is down', async () => {
    await fx.stack.redis.stop();
    const fields = { action: 'message', receiverID: 1, companyID: 7, typeID: 1, title: 'Redis down', content: 'x' };
    const started = Date.now();
    expectText(await postForm(fields), 503, 'fail');
    expect(Date.now() - started).toBeLessThan(2500);
  });
});
