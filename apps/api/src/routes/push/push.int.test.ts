import { describe, expect, it } from 'vitest';
import { ApiClient, storedIds, useInProcessStack, waitUntil, type ApiResponse, type InProcessStack } from '@notify/testing';

// `GET|POST /push` (and `/`): the older phpsocket.io push port, drop-in. `ok` = queued and the
// receiver has a page open; `offline` = queued and stored for their next login; `fail` = refused.

/** Fields as PHP's http_build_query() writes them (`+` for spaces), for a form body or a query string. */
const form = (fields: Record<string, string | number>) =>
  new URLSearchParams(Object.entries(fields).map(([name, value]): [string, string] => [name, String(value)]));

const expectText = (response: ApiResponse, status: number, text: string) => {
  expect({ status: response.status, body: response.body }).toEqual({ status, body: text });
  expect(response.headers.get('content-type')).toMatch(/^text\/plain/);
};

interface StoredMessage {
  id: string;
  title: string;
  typeID: number;
  companyID: string;
  senderID?: string;
  sender?: string;
}

/** Helpers bound to one stack. */
function helpers(stack: () => InProcessStack) {
  const apiKey = () => stack().env.API_KEYS!;
  const anonymous = () => new ApiClient(stack().apiUrl);
  const postForm = (fields: Record<string, string | number>, client: ApiClient = stack().client, path = '/push') =>
    client.request('POST', path, { rawBody: form(fields), headers: { 'content-type': 'application/x-www-form-urlencoded' } });
  /** What Guzzle sends for `post($url . '?' . http_build_query($fields))`: a POST with no body and no content type. */
  const postQuery = (fields: Record<string, string | number>, client: ApiClient = stack().client, path = '/push') =>
    client.request('POST', `${path}?${form(fields)}`);
  const messagesOf = async (uid: string | number) =>
    (await stack().client.request('GET', `/v1/users/${uid}/messages?limit=100`)).body.items as StoredMessage[];
  const storedTitles = async (uid: string | number) => (await messagesOf(uid)).map((message) => message.title);
  const waitForStored = (uid: string | number, title: string) =>
    waitUntil(async () => (await storedTitles(uid)).includes(title), { timeoutMs: 10_000, message: `"${title}" stored for ${uid}` });
  const waitForOnline = (uid: string, companyID: string | number) =>
    waitUntil(async () => ((await stack().client.request('GET', `/v1/companies/${companyID}/online`)).body.uids as string[]).includes(uid), {
      timeoutMs: 5000,
      message: `user ${uid} online in ${companyID}`,
    });
  return { apiKey, anonymous, postForm, postQuery, messagesOf, storedTitles, waitForStored, waitForOnline };
}

describe('/push, the older push port', () => {
  const stack = useInProcessStack({ env: { API_RATE_LIMIT: '0' } });
  const { apiKey, anonymous, postForm, postQuery, messagesOf, storedTitles, waitForStored, waitForOnline } = helpers(stack);

  it('answers offline when the receiver has no page open, and stores the message for later', async () => {
    const response = await postForm({ action: 'message', receiverID: 1, companyID: 7, typeID: 1, title: 'While away', content: 'Hello' });
    expectText(response, 200, 'offline');
    await waitForStored(1, 'While away');
    expect((await messagesOf(1))[0]).toMatchObject({ title: 'While away', typeID: 1, companyID: '7' });
  });

  it('answers ok when the receiver has a page open, and the page gets new_msg', async () => {
    const page = await stack().page(2, 7);
    await waitForOnline('2', 7);
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
    const page = await stack().page(4, 7);
    const response = await postForm({ action: 'dynamic', companyID: 7, operatorID: 3, operator: 'Bob', title: 'created a task', content: 'Task 5', objectType: 'task', objectID: 5 });
    expectText(response, 200, 'ok');
    expect(await page.waitFor('update_dynamic', (d) => d.title === 'created a task', 10_000)).toMatchObject({ operatorID: '3', objectID: '5' });
  });

  it('takes a GET with a query string, the key as a field', async () => {
    const query = form({ action: 'message', receiverID: 5, companyID: 7, typeID: 3, title: 'By GET', content: 'q', key: apiKey() });
    expectText(await anonymous().request('GET', `/push?${query}`), 200, 'offline');
    await waitForStored(5, 'By GET');
  });

  it('takes JSON, and the key as a form field', async () => {
    const json = await stack().client.request('POST', '/push', { body: { action: 'message', receiverID: 6, companyID: 7, typeID: 1, title: 'By JSON', content: '' } });
    expectText(json, 200, 'offline');
    const keyField = await postForm({ action: 'message', receiverID: 6, companyID: 7, typeID: 1, title: 'By key field', content: '', key: apiKey() }, anonymous());
    expectText(keyField, 200, 'offline');
    await waitUntil(async () => (await storedTitles(6)).length === 2, { timeoutMs: 10_000, message: 'both stored' });
  });

  it('takes pushes exactly as a PHP backend makes them: query string, empty body, operatorID, no companyID, a token, the root path', async () => {
    const page = await stack().page('php1', 7);
    const phpClient = anonymous();
    const dynamic = { action: 'dynamic', companyID: 7, operatorID: 2, operator: 'Bob', portrait: '', title: '创建了新任务', content: 'Task 5', url: '/task/view?taskID=5', date: '2026-12-01 11:24:58', token: apiKey() };
    expectText(await postQuery(dynamic, phpClient), 200, 'ok');
    expectText(await postQuery({ ...dynamic, title: 'at the root path' }, phpClient, '/'), 200, 'ok');
    const message = { action: 'message', receiverID: 'php1', typeID: 3, title: 'Task assigned', content: 'Task 5', operatorID: 2, operator: 'Bob', url: '/task/view?taskID=5', token: apiKey() };
    // No companyID: stored under PUSH_DEFAULT_COMPANY_ID (`none`), where no page of php1 is open.
    expectText(await postQuery(message, phpClient), 200, 'offline');
    expectText(await postQuery({ ...message, title: 'Root path message' }, phpClient, '/'), 200, 'offline');
    expectText(await postForm({ ...message, title: 'Form message', companyID: '' }, phpClient, '/'), 200, 'offline');

    for (const title of ['创建了新任务', 'at the root path']) {
      expect(await page.waitFor('update_dynamic', (d) => d.title === title)).toMatchObject({ operatorID: '2', url: '/task/view?taskID=5' });
    }
    // Rooms are per uid, so the page gets it whichever company it logged in to.
    for (const title of ['Task assigned', 'Root path message', 'Form message']) {
      expect(await page.waitFor('new_msg', (m) => m.title === title)).toMatchObject({ companyID: 'none', senderID: '2', sender: 'Bob', typeID: 3 });
    }
    await waitUntil(async () => (await messagesOf('php1')).length === 3, { timeoutMs: 10_000, message: 'three stored' });
    for (const stored of await messagesOf('php1')) {
      expect(stored).toMatchObject({ companyID: 'none', senderID: '2', sender: 'Bob' });
      expect(stored).not.toHaveProperty('operatorID');
      expect(stored).not.toHaveProperty('token');
    }
    const inCompany = await stack().client.request('GET', '/v1/users/php1/messages?companyID=none');
    expect(inCompany.body.items).toHaveLength(3);
  });

  it('takes token as the key only when no header or key field gives one', async () => {
    const fields = { action: 'message', receiverID: 'tk', companyID: 7, typeID: 1, title: 'Token ignored', content: '', token: 'their-old-secret' };
    expectText(await postQuery(fields), 200, 'offline');
    expectText(await postQuery({ ...fields, title: 'Key field wins', key: apiKey() }, anonymous()), 200, 'offline');
    expectText(await postQuery(fields, anonymous()), 401, 'fail');
    await waitForStored('tk', 'Key field wins');
    expect((await storedTitles('tk')).sort()).toEqual(['Key field wins', 'Token ignored']);
  });

  it('stores a message once per idempotency key, from the header or the idempotencyKey field', async () => {
    const fields = { action: 'message', receiverID: 'idem', companyID: 7, typeID: 1, title: 'Once', content: '' };
    for (let attempt = 0; attempt < 3; attempt += 1) expectText(await postQuery({ ...fields, idempotencyKey: 'push-once-1' }), 200, 'offline');
    const byHeader = () => stack().client.request('POST', `/push?${form({ ...fields, title: 'Once by header' })}`, { headers: { 'Idempotency-Key': 'push-once-2' } });
    expectText(await byHeader(), 200, 'offline');
    expectText(await byHeader(), 200, 'offline');
    // The header wins over the field, and a key reused with another body is refused.
    expectText(await stack().client.request('POST', `/push?${form({ ...fields, title: 'Once by header', idempotencyKey: 'other' })}`, { headers: { 'Idempotency-Key': 'push-once-2' } }), 200, 'offline');
    expectText(await postQuery({ ...fields, title: 'Changed', idempotencyKey: 'push-once-1' }), 409, 'fail');
    const marker = { ...fields, title: 'Marker' };
    expectText(await postQuery(marker), 200, 'offline');
    await waitForStored('idem', 'Marker');
    expect((await storedTitles('idem')).sort()).toEqual(['Marker', 'Once', 'Once by header']);
  });

  it('answers 400 fail for invalid input, and stores nothing', async () => {
    const valid = { action: 'message', receiverID: 'bad1', companyID: 7, typeID: 1, title: 'Refused', content: 'x' };
    const invalid: Record<string, string | number>[] = [
      { ...valid, typeID: 9 },
      { ...valid, typeID: 'one' },
      { ...valid, action: 'publish' },
      { ...valid, title: '' },
      { ...valid, receiverID: 'has space' },
      { ...valid, companyID: 'has space' },
      { ...valid, date: 'yesterday' },
      { ...valid, unknownField: 1 },
      { ...valid, senderID: 2, operatorID: 3 },
      { ...valid, idempotencyKey: 'has space' },
      { receiverID: 'bad1', companyID: 7, typeID: 1, title: 'no action', content: 'x' },
      { action: 'dynamic', companyID: 7, title: 'no operator', content: 'x' },
    ];
    for (const fields of invalid) expectText(await postForm(fields), 400, 'fail');
    expectText(await postQuery({ ...valid, typeID: 9 }, stack().client, '/'), 400, 'fail');
    expectText(await stack().client.request('POST', '/push', { body: [valid] }), 400, 'fail');
    expectText(await stack().client.request('POST', '/push', { rawBody: '{"action":', headers: { 'content-type': 'application/json' } }), 400, 'fail');

    // One valid message after them: once it is stored, anything enqueued before it would be too.
    expectText(await postForm({ ...valid, title: 'Marker' }), 200, 'offline');
    await waitForStored('bad1', 'Marker');
    expect(await storedTitles('bad1')).toEqual(['Marker']);
  });

  it('answers 401 fail without a key or with a wrong one', async () => {
    const fields = { action: 'message', receiverID: 'nokey', companyID: 7, typeID: 1, title: 'No key', content: 'x' };
    expectText(await postForm(fields, anonymous()), 401, 'fail');
    expectText(await postForm({ ...fields, key: 'x'.repeat(40) }, anonymous()), 401, 'fail');
    expectText(await postForm(fields, new ApiClient(stack().apiUrl, 'x'.repeat(40))), 401, 'fail');
    // A wrong header is not rescued by a right key field, nor a wrong key field by a right token.
    expectText(await postForm({ ...fields, key: apiKey() }, new ApiClient(stack().apiUrl, 'x'.repeat(40))), 401, 'fail');
    expectText(await postForm({ ...fields, key: 'x'.repeat(40), token: apiKey() }, anonymous()), 401, 'fail');
    expectText(await anonymous().request('GET', `/push?${form(fields)}`), 401, 'fail');
    expectText(await anonymous().request('GET', `/?${form(fields)}`), 401, 'fail');
  });

  it('leaves /v1 as it was: JSON errors, companyID required, no operatorID', async () => {
    const response = await stack().client.sendMessage({ receiverID: 1, typeID: 1, title: 't', content: '', operatorID: 2 });
    expect(response.status).toBe(400);
    expect(response.body.error?.issues?.map((issue) => issue.path).sort()).toEqual(['companyID', 'operatorID']);
  });
});

describe('/push with PUSH_ALWAYS_200 and PUSH_DEFAULT_COMPANY_ID', () => {
  const stack = useInProcessStack({ env: { API_RATE_LIMIT: '0', PUSH_ALWAYS_200: '1', PUSH_DEFAULT_COMPANY_ID: '7', BODY_LIMIT_BYTES: '2048' } });
  const { anonymous, postForm, postQuery, messagesOf, waitForOnline } = helpers(stack);

  it('answers every request 200 with its verdict, and still stores only what was accepted', async () => {
    const page = await stack().page('a200', 7);
    await waitForOnline('a200', 7);
    const valid = { action: 'message', receiverID: 'a200', typeID: 1, title: 'Accepted', content: '', operatorID: 2, operator: 'Bob' };
    // No companyID: the default company is 7, where a200 has a page open.
    expectText(await postQuery(valid), 200, 'ok');
    expectText(await postQuery({ ...valid, receiverID: 'nobody', title: 'Offline' }), 200, 'offline');
    expectText(await postQuery({ ...valid, typeID: 9, title: 'Invalid' }), 200, 'fail');
    expectText(await postQuery({ ...valid, title: 'No key' }, anonymous()), 200, 'fail');
    expectText(await postForm({ ...valid, title: 'Too large', content: 'x'.repeat(4096) }), 200, 'fail');
    expectText(await postQuery({ ...valid, title: 'Keyed', idempotencyKey: 'k200' }), 200, 'ok');
    expectText(await postQuery({ ...valid, title: 'Keyed, changed', idempotencyKey: 'k200' }), 200, 'fail');

    expect(await page.waitFor('new_msg', (m) => m.title === 'Accepted')).toMatchObject({ companyID: '7', senderID: '2' });
    const marker = await stack().client.sendMessage({ companyID: 7, receiverID: 'a200', typeID: 1, title: 'Marker', content: '' });
    await page.waitFor('new_msg', (m) => m.id === marker.body.ids[0]);
    expect((await messagesOf('a200')).map((m) => m.title).sort()).toEqual(['Accepted', 'Keyed', 'Marker']);
  });

  it('leaves /v1 answering with its statuses', async () => {
    expect((await stack().client.sendMessage({ companyID: 7, typeID: 1, title: 't', content: '' })).status).toBe(400);
  });
});

describe('/push with PUSH_ALWAYS_200, refused for the rate limit', () => {
  const stack = useInProcessStack({ gateways: 0, env: { API_RATE_LIMIT: '2', PUSH_ALWAYS_200: '1', PUSH_DEFAULT_COMPANY_ID: '7' } });
  const { postQuery } = helpers(stack);
  const push = (title: string, receiverID = 'rl200') => postQuery({ action: 'message', receiverID, typeID: 1, title, content: '', operatorID: 2, operator: 'Bob' });

  it('answers 200 fail over the limit, and stores only what it accepted', async () => {
    const burst = await Promise.all(Array.from({ length: 10 }, (_, n) => push(`burst ${n}`)));
    const verdicts = burst.map((response) => [response.status, response.body]);
    const accepted = verdicts.filter(([, body]) => body === 'offline').length;
    expect(accepted).toBeGreaterThan(0);
    expect(verdicts.filter(([, body]) => body === 'fail').length).toBeGreaterThan(0);
    expect(verdicts.every(([status, body]) => status === 200 && (body === 'offline' || body === 'fail'))).toBe(true);
    // Once the window has passed, a marker to another user: once it is stored, exactly the accepted ones are.
    await waitUntil(async () => (await push('marker', 'marker-rl200')).body === 'offline', { timeoutMs: 3000, message: 'the limit lifts' });
    await waitUntil(() => storedIds(stack().sqlitePath, 'messages', 'marker-rl200').length === 1, { timeoutMs: 10_000, message: 'the marker stored' });
    expect(storedIds(stack().sqlitePath, 'messages', 'rl200')).toHaveLength(accepted);
  });
});

describe('/push with PUSH_ALWAYS_200 while Redis is down', () => {
  // Its own Redis, which the test stops.
  const stack = useInProcessStack({ ownRedis: true, gateways: 0, env: { API_RATE_LIMIT: '0', PUSH_ALWAYS_200: '1', PUSH_DEFAULT_COMPANY_ID: '7' } });
  const { postQuery } = helpers(stack);

  it('answers 200 fail at once, instead of the 503 it answers without the setting', async () => {
    const response = await stack().whileRedisIsDown(() =>
      postQuery({ action: 'message', receiverID: 'down200', typeID: 1, title: 'while down', content: '', operatorID: 2, operator: 'Bob' }),
    );
    expectText(response, 200, 'fail');
  });
});
