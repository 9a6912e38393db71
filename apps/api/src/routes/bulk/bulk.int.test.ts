import { describe, expect, it } from 'vitest';
import { ApiErrorBody, JobName, recordIdRun, SendBulkResponse, type Message } from '@notify/contracts';
import { jobCounts, openStackQueue, storedIds, useInProcessStack, waitUntil } from '@notify/testing';

const message = (receiverID: string, title: string, extra: Record<string, unknown> = {}) => ({ companyID: 'bk', receiverID, typeID: 1, title, content: '', ...extra });
const dynamic = (title: string) => ({ companyID: 'bk', operatorID: 'op', operator: 'Op', title, content: '' });

// POST /v1/bulk: many different messages and dynamics in one request, one id each, validated as a
// whole, with Idempotency-Key and a body limit of its own.
describe('POST /v1/bulk', () => {
  const stack = useInProcessStack({ gateways: 1 });
  const storedRecordIds = () => [...storedIds(stack().sqlitePath, 'messages'), ...storedIds(stack().sqlitePath, 'dynamics')];
  const allJobs = async () => {
    const queue = openStackQueue(stack());
    try {
      return Object.values(await jobCounts(queue)).reduce((sum, n) => sum + n, 0);
    } finally {
      await queue.close();
    }
  };

  it('accepts messages to different receivers with their own texts, and dynamics: one id each, in order, all delivered', async () => {
    const [one, two] = [await stack().page('bk-1', 'bk'), await stack().page('bk-2', 'bk')];
    const sent = await stack().client.sendBulk({
      messages: [message('bk-1', 'first to 1'), message('bk-2', 'to 2', { typeID: 3, url: '/x' }), message('bk-1', 'second to 1')],
      dynamics: [dynamic('a dynamic')],
    });
    expect(sent.status).toBe(202);
    const { ids } = SendBulkResponse.parse(sent.body);
    expect(ids.messages).toHaveLength(3);
    expect(ids.dynamics).toHaveLength(1);
    // Consecutive ids of one moment, messages first.
    expect([...ids.messages, ...ids.dynamics]).toEqual(recordIdRun(ids.messages[0] as string, 4));
    const toOne = await one.waitForCount('new_msg', 2);
    expect(toOne.map((m) => [m.id, m.title])).toEqual(expect.arrayContaining([[ids.messages[0], 'first to 1'], [ids.messages[2], 'second to 1']]));
    expect(await two.waitFor('new_msg', (m) => m.id === ids.messages[1])).toMatchObject({ receiverID: 'bk-2', typeID: 3, url: '/x', isRead: false });
    expect(await one.waitFor('update_dynamic', (d) => d.id === ids.dynamics[0])).toMatchObject({ title: 'a dynamic' });
    expect(storedRecordIds()).toEqual(expect.arrayContaining([...ids.messages, ...ids.dynamics]));
  });

  it('lists every problem by its place, and queues nothing', async () => {
    const before = await allJobs();
    const response = await stack().client.sendBulk({
      messages: [message('bk-3', 'fine'), message('bk-3', ''), { ...message('bk-3', 'x'), typeID: 7, receiverIDs: ['bk-4'] }, { companyID: 'bk', typeID: 1, title: 't', content: '' }],
      dynamics: [dynamic('fine'), { ...dynamic('x'), operator: '' }],
    });
    expect(response.status).toBe(400);
    expect(ApiErrorBody.parse(response.body).error.issues?.map((issue) => issue.path)).toEqual([
      'messages.1.title',
      'messages.2.typeID',
      'messages.2.receiverIDs',
      'messages.3.receiverID',
      'dynamics.1.operator',
    ]);
    const tooMany = await stack().client.sendBulk({ messages: Array.from({ length: 600 }, () => message('bk-3', 'm')), dynamics: Array.from({ length: 401 }, () => dynamic('d')) });
    expect(tooMany.status).toBe(400);
    expect(ApiErrorBody.parse(tooMany.body).error.issues).toEqual([{ path: '(body)', message: 'holds more than 1000 records (messages and dynamics together)' }]);
    const empty = await stack().client.sendBulk({ messages: [] });
    expect(ApiErrorBody.parse(empty.body).error.issues).toEqual([{ path: '(body)', message: 'needs at least one message or dynamic' }]);
    // Nothing reached the queue: a request after them adds exactly its own job.
    const marker = await stack().client.sendBulk({ messages: [message('bk-3', 'marker')] });
    expect(marker.status).toBe(202);
    expect(await allJobs()).toBe(before + 1);
  });

  it('answers a retry with the same Idempotency-Key with the same ids, storing nothing twice; another body with that key is 409', async () => {
    const page = await stack().page('bk-5', 'bk');
    const body = { messages: [message('bk-5', 'once'), message('bk-5', 'twice?')] };
    const first = await stack().client.sendBulk(body, { 'Idempotency-Key': 'bulk-key-1' });
    const again = await stack().client.sendBulk(body, { 'Idempotency-Key': 'bulk-key-1' });
    expect(first.status).toBe(202);
    expect(again.body).toEqual(first.body);
    const conflict = await stack().client.sendBulk({ messages: [message('bk-5', 'other')] }, { 'Idempotency-Key': 'bulk-key-1' });
    expect(conflict.status).toBe(409);
    const ids = SendBulkResponse.parse(first.body).ids.messages;
    const marker = await stack().client.sendMessage({ companyID: 'bk', receiverID: 'bk-5', typeID: 1, title: 'marker', content: '' });
    await page.waitFor('new_msg', (m) => m.id === marker.body.ids[0]);
    await waitUntil(() => ids.every((id) => storedRecordIds().includes(id)), { timeoutMs: 5000, message: 'stored' });
    expect(storedRecordIds().filter((id) => ids.includes(id))).toHaveLength(2);
    // The retry and the refused conflict queued nothing more: bk-5 has the two and the marker.
    expect(storedIds(stack().sqlitePath, 'messages', 'bk-5').sort()).toEqual([...ids, marker.body.ids[0]].sort());
  });

  it('takes a body larger than 256 KiB up to BULK_BODY_LIMIT_BYTES, and refuses a larger one with 413', async () => {
    const content = 'x'.repeat(900);
    const large = { messages: Array.from({ length: 400 }, (_, n) => ({ ...message('bk-6', `m${n}`), content })) };
    expect(JSON.stringify(large).length).toBeGreaterThan(256 * 1024);
    expect((await stack().client.sendBulk(large)).status).toBe(202);
    const tooLarge = { messages: Array.from({ length: 999 }, (_, n) => ({ ...message('bk-6', `m${n}`), content: 'y'.repeat(1100) })) };
    expect(JSON.stringify(tooLarge).length).toBeGreaterThan(1024 * 1024);
    const refused = await stack().client.sendBulk(tooLarge);
    expect(refused.status).toBe(413);
    expect(ApiErrorBody.parse(refused.body).error.code).toBe('payload_too_large');
  });
});

describe('POST /v1/bulk, in the queue', () => {
  // No worker: the jobs stay in the queue to be looked at.
  const stack = useInProcessStack({ gateways: 0, worker: false });

  it('sends a bulk of 1,000 records as one batch job, whose id starts with the first record’s', async () => {
    const sent = await stack().client.sendBulk({
      messages: Array.from({ length: 900 }, (_, n) => message(`bq-${n % 50}`, `m${n}`)),
      dynamics: Array.from({ length: 100 }, (_, n) => dynamic(`d${n}`)),
    });
    expect(sent.status).toBe(202);
    const { ids } = SendBulkResponse.parse(sent.body);
    const queue = openStackQueue(stack());
    try {
      const jobs = await queue.getJobs(['waiting']);
      expect(jobs).toHaveLength(1);
      const [job] = jobs;
      expect(job?.name).toBe(JobName.batch);
      expect(job?.id).toMatch(new RegExp(`^${ids.messages[0]}\\+999\\.[0-9a-f]{16}$`));
      const data = job?.data as { messages: Message[]; dynamics: { id: string }[] };
      expect(data.messages.map((m) => m.id)).toEqual(ids.messages);
      expect(data.dynamics.map((d) => d.id)).toEqual(ids.dynamics);
    } finally {
      await queue.close();
    }
  });
});
