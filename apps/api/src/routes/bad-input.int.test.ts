import { describe, expect, it } from 'vitest';
import { ApiErrorBody } from '@notify/contracts';
import { SqliteStore } from '@notify/store';
import { ApiClient, jobCounts, openStackQueue, useInProcessStack } from '@notify/testing';

// Invalid requests get the error shape listing every problem, and nothing is enqueued or stored.
describe('invalid requests to the api', () => {
  const stack = useInProcessStack({ gateways: 0 });

  const post = (path: string, body: unknown) => stack().client.request('POST', path, { body });
  const pathsOf = (body: unknown) => ApiErrorBody.parse(body).error.issues?.map((issue) => issue.path).sort();

  it('lists every problem of a bad message', async () => {
    const response = await post('/v1/messages', { companyID: { x: 1 }, receiverID: 'a b', typeID: 9, title: 42, unknownField: 1 });
    expect(response.status).toBe(400);
    expect(ApiErrorBody.parse(response.body).error.code).toBe('invalid_input');
    expect(pathsOf(response.body)).toEqual(['companyID', 'content', 'receiverID', 'title', 'typeID', 'unknownField']);
  });

  it('names missing fields of a message and of a dynamic', async () => {
    expect(pathsOf((await post('/v1/messages', {})).body)).toEqual(['companyID', 'content', 'receiverID', 'title', 'typeID']);
    expect(pathsOf((await post('/v1/dynamics', { companyID: 7 })).body)).toEqual(['content', 'operator', 'operatorID', 'title']);
  });

  it('refuses typeID 9, wrong types and out-of-range values', async () => {
    const response = await post('/v1/messages', { companyID: 7, receiverID: 1, typeID: 9, title: 'x'.repeat(201), content: ['no'], date: 'yesterday' });
    expect(response.status).toBe(400);
    expect(pathsOf(response.body)).toEqual(['content', 'date', 'title', 'typeID']);
  });

  it('answers 413 for a body over 256 KiB', async () => {
    const response = await post('/v1/messages', { companyID: 7, receiverID: 1, typeID: 1, title: 't', content: 'x'.repeat(300 * 1024) });
    expect(response.status).toBe(413);
    expect(ApiErrorBody.parse(response.body).error.code).toBe('payload_too_large');
  });

  it('answers 400 for a body that is not JSON', async () => {
    const broken = await stack().client.request('POST', '/v1/messages', { rawBody: '{"companyID": 7,', headers: { 'content-type': 'application/json' } });
    expect(broken.status).toBe(400);
    expect(pathsOf(broken.body)).toEqual(['(body)']);
    const form = await stack().client.request('POST', '/v1/messages', { rawBody: 'companyID=7', headers: { 'content-type': 'text/plain' } });
    expect(form.status).toBe(400);
    expect(pathsOf(form.body)).toEqual(['(body)']);
  });

  // Decoding would store U+FFFD instead of what was sent: the bytes are refused, naming the field.
  describe('bytes that are not UTF-8', () => {
    const INVALID: [string, number[]][] = [
      ['FF', [0xff]],
      ['C3 28', [0xc3, 0x28]],
      ['C0 AF (overlong)', [0xc0, 0xaf]],
      ['ED A0 80 (a surrogate)', [0xed, 0xa0, 0x80]],
      ['F0 9F 98 (truncated)', [0xf0, 0x9f, 0x98]],
    ];
    const json = (before: string, bad: number[], after: string) => Buffer.concat([Buffer.from(before), Buffer.from(bad), Buffer.from(after)]);
    const percent = (bad: number[]) => bad.map((byte) => `%${byte.toString(16).toUpperCase()}`).join('');

    it.each(INVALID)('%s in a JSON message or dynamic: 400 naming the field', async (_name, bad) => {
      const message = json('{"companyID":7,"receiverID":1,"typeID":1,"title":"a', bad, 'b","content":"fine"}');
      const response = await stack().client.request('POST', '/v1/messages', { rawBody: message, headers: { 'content-type': 'application/json' } });
      expect(response.status).toBe(400);
      expect(ApiErrorBody.parse(response.body).error).toMatchObject({ code: 'invalid_input', issues: [{ path: 'title', message: expect.stringMatching(/UTF-8/) }] });
      const dynamic = json('{"companyID":7,"operatorID":1,"operator":"Bob","title":"t","content":"', bad, '"}');
      const refused = await stack().client.request('POST', '/v1/dynamics', { rawBody: dynamic, headers: { 'content-type': 'application/json' } });
      expect(refused.status).toBe(400);
      expect(pathsOf(refused.body)).toEqual(['content']);
    });

    it.each(INVALID)('%s in a /push form, query string or JSON: 400 fail', async (_name, bad) => {
      const fields = 'action=message&companyID=7&receiverID=1&typeID=1&content=x';
      const form = await stack().client.request('POST', '/push', {
        rawBody: `${fields}&title=${percent(bad)}`,
        headers: { 'content-type': 'application/x-www-form-urlencoded' },
      });
      const rawForm = await stack().client.request('POST', '/push', {
        rawBody: json(`${fields}&title=`, bad, ''),
        headers: { 'content-type': 'application/x-www-form-urlencoded' },
      });
      const query = await stack().client.request('GET', `/push?${fields}&title=${percent(bad)}`);
      const pushJson = await stack().client.request('POST', '/push', {
        rawBody: json('{"action":"message","companyID":7,"receiverID":1,"typeID":1,"content":"x","title":"', bad, '"}'),
        headers: { 'content-type': 'application/json' },
      });
      for (const response of [form, rawForm, query, pushJson]) expect([response.status, response.body]).toEqual([400, 'fail']);
    });

    it('lists every field with such bytes, and a query string of /v1 too', async () => {
      const body = Buffer.concat([
        Buffer.from('{"companyID":7,"receiverIDs":["1","'),
        Buffer.from([0xff]),
        Buffer.from('"],"typeID":1,"title":"'),
        Buffer.from([0xc3, 0x28]),
        Buffer.from('","content":"ok","sender":"'),
        Buffer.from([0xf0, 0x9f, 0x98]),
        Buffer.from('"}'),
      ]);
      const response = await stack().client.request('POST', '/v1/messages', { rawBody: body, headers: { 'content-type': 'application/json' } });
      expect(pathsOf(response.body)).toEqual(['receiverIDs.1', 'sender', 'title']);
      const listed = await stack().client.request('GET', '/v1/users/1/messages?companyID=%C3%28');
      expect(listed.status).toBe(400);
      expect(pathsOf(listed.body)).toEqual(['companyID']);
    });

    it('accepts U+FFFD itself, sent as UTF-8, and keeps it', async () => {
      const response = await post('/v1/messages', { companyID: 7, receiverID: 'fffd', typeID: 1, title: 'a\ufffdb', content: '' });
      expect(response.status).toBe(202);
    });
  });

  it('answers 401 without a key or with a wrong key, before reading the body', async () => {
    const anonymous = new ApiClient(stack().apiUrl);
    const noKey = await anonymous.request('POST', '/v1/messages', { body: { companyID: 7 } });
    expect(noKey.status).toBe(401);
    expect(ApiErrorBody.parse(noKey.body).error.code).toBe('unauthorized');
    const wrongKey = await new ApiClient(stack().apiUrl, 'x'.repeat(40)).request('GET', '/v1/users/1/messages');
    expect(wrongKey.status).toBe(401);
    expect((await anonymous.request('POST', '/v1/tokens', { body: { uid: 1, companyID: 7 } })).status).toBe(401);
    const badBytesNoKey = await anonymous.request('POST', '/v1/messages', { rawBody: Buffer.from([0x7b, 0xff, 0x7d]), headers: { 'content-type': 'application/json' } });
    expect(badBytesNoKey.status).toBe(401);
  });

  it('answers 404 with the error shape for an unknown route', async () => {
    const response = await stack().client.request('GET', '/v1/nothing-here');
    expect(response.status).toBe(404);
    expect(ApiErrorBody.parse(response.body).error.code).toBe('not_found');
  });

  it('validates query strings and path parameters', async () => {
    const response = await stack().client.request('GET', '/v1/users/1/messages?limit=1000&typeID=7&unread=maybe&before=nope');
    expect(response.status).toBe(400);
    expect(pathsOf(response.body)).toEqual(['before', 'limit', 'typeID', 'unread']);
    expect((await stack().client.request('GET', '/v1/users/has%20space/unread-count')).status).toBe(400);
    expect(pathsOf((await post('/v1/users/1/messages/read', { ids: [] })).body)).toEqual(['ids']);
    expect(pathsOf((await post('/v1/users/1/messages/read', { everything: true })).body)).toEqual(['(body)']);
  });

  it('enqueued and stored nothing for any of the requests above but the one U+FFFD message', async () => {
    const queue = openStackQueue(stack());
    try {
      const counts = await jobCounts(queue);
      expect(Object.values(counts).reduce((a, b) => a + b, 0)).toBe(1);
    } finally {
      await queue.close();
    }
    const store = await SqliteStore.open({ path: stack().sqlitePath, messagesCapRows: 1000 });
    try {
      expect(await store.listMessages({ receiverID: '1', limit: 10 })).toEqual([]);
      expect(await store.listCompanyDynamics({ companyID: '7', limit: 10 })).toEqual([]);
    } finally {
      await store.close();
    }
  });

  it('answers the same ids for a repeated Idempotency-Key, and 409 for the same key with another body', async () => {
    const body = { companyID: 7, receiverIDs: [1, 2], typeID: 1, title: 'once', content: 'only once' };
    const first = await stack().client.sendMessage(body, { 'idempotency-key': 'order-42' });
    const again = await stack().client.sendMessage(body, { 'idempotency-key': 'order-42' });
    expect(first.status).toBe(202);
    expect(again.body).toEqual(first.body);
    const other = await stack().client.sendMessage({ ...body, title: 'different' }, { 'idempotency-key': 'order-42' });
    expect(other.status).toBe(409);
  });
});
