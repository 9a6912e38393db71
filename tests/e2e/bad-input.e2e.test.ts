import { describe, expect, it } from 'vitest';
import { ApiErrorBody } from '@notify/contracts';
import { SqliteStore } from '@notify/store';
import { ApiClient, openStackQueue, useStack } from '@notify/testing';

// Acceptance 5 (HTTP): invalid requests get the SPEC error shape listing every problem, and nothing
// is enqueued or stored.
describe('invalid requests to the api', () => {
  const fx = useStack();

  const post = (path: string, body: unknown) => fx.api.request('POST', path, { body });
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
    const broken = await fx.api.request('POST', '/v1/messages', { rawBody: '{"companyID": 7,', headers: { 'content-type': 'application/json' } });
    expect(broken.status).toBe(400);
    expect(pathsOf(broken.body)).toEqual(['(body)']);
    const form = await fx.api.request('POST', '/v1/messages', { rawBody: 'companyID=7', headers: { 'content-type': 'text/plain' } });
    expect(form.status).toBe(400);
    expect(pathsOf(form.body)).toEqual(['(body)']);
  });

  it('answers 401 without a key or with a wrong key, before reading the body', async () => {
    const anonymous = new ApiClient(fx.stack.apiUrl);
    const noKey = await anonymous.request('POST', '/v1/messages', { body: { companyID: 7 } });
    expect(noKey.status).toBe(401);
    expect(ApiErrorBody.parse(noKey.body).error.code).toBe('unauthorized');
    const wrongKey = await new ApiClient(fx.stack.apiUrl, 'x'.repeat(40)).request('GET', '/v1/users/1/messages');
    expect(wrongKey.status).toBe(401);
    expect((await anonymous.request('POST', '/v1/tokens', { body: { uid: 1, companyID: 7 } })).status).toBe(401);
  });

  it('answers 404 with the error shape for an unknown route', async () => {
    const response = await fx.api.request('GET', '/v1/nothing-here');
    expect(response.status).toBe(404);
    expect(ApiErrorBody.parse(response.body).error.code).toBe('not_found');
  });

  it('validates query strings and path parameters', async () => {
    const response = await fx.api.request('GET', '/v1/users/1/messages?limit=1000&typeID=7&unread=maybe&before=nope');
    expect(response.status).toBe(400);
    expect(pathsOf(response.body)).toEqual(['before', 'limit', 'typeID', 'unread']);
    expect((await fx.api.request('GET', '/v1/users/has%20space/unread-count')).status).toBe(400);
    expect(pathsOf((await post('/v1/users/1/messages/read', { ids: [] })).body)).toEqual(['ids']);
    expect(pathsOf((await post('/v1/users/1/messages/read', { everything: true })).body)).toEqual(['(body)']);
  });

  it('enqueued and stored nothing for any of the requests above', async () => {
    const queue = openStackQueue(fx.stack);
    try {
      const counts = await queue.getJobCounts('waiting', 'active', 'completed', 'failed', 'delayed');
      expect(Object.values(counts).reduce((a, b) => a + b, 0)).toBe(0);
    } finally {
      await queue.close();
    }
    const store = await SqliteStore.open({ path: fx.stack.sqlitePath, messagesCapRows: 1000 });
    try {
      expect(await store.listMessages({ receiverID: '1', limit: 10 })).toEqual([]);
      expect(await store.listCompanyDynamics({ companyID: '7', limit: 10 })).toEqual([]);
    } finally {
      await store.close();
    }
  });

  it('answers the same ids for a repeated Idempotency-Key, and 409 for the same key with another body', async () => {
    const body = { companyID: 7, receiverIDs: [1, 2], typeID: 1, title: 'once', content: 'only once' };
    const first = await fx.api.sendMessage(body, { 'idempotency-key': 'order-42' });
    const again = await fx.api.sendMessage(body, { 'idempotency-key': 'order-42' });
    expect(first.status).toBe(202);
    expect(again.body).toEqual(first.body);
    const other = await fx.api.sendMessage({ ...body, title: 'different' }, { 'idempotency-key': 'order-42' });
    expect(other.status).toBe(409);
  });
});
