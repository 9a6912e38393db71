import type { Queue } from 'bullmq';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { JobName, NEW_MESSAGE_STATE, newRecordId, type Dynamic, type Message } from '@notify/contracts';
import { openStackQueue, storedIds as storedIn, useInProcessStack, waitUntil } from '@notify/testing';

// Every form of job the queue may hold: `message` and `dynamic` (one record, its id the job id, as
// every api before batch jobs enqueued them and as the api still does for a lone record), and
// `batch` (several records). Jobs are added to the stack's queue directly, as an api would.
describe('the worker processes every form of job', () => {
  const stack = useInProcessStack({ gateways: 1, logLevel: 'debug' });
  let queue: Queue;
  beforeAll(() => {
    queue = openStackQueue(stack());
  });
  afterAll(() => queue.close());

  const message = (receiverID: string, title: string): Message => ({
    id: newRecordId(), companyID: 'jf', receiverID, typeID: 1, title, content: '', date: new Date().toISOString(), ...NEW_MESSAGE_STATE,
  });
  const dynamic = (title: string): Dynamic => ({
    id: newRecordId(), companyID: 'jf', operatorID: 'op', operator: 'Op', title, content: '', date: new Date().toISOString(),
  });
  const storedIds = (table: 'messages' | 'dynamics') => storedIn(stack().sqlitePath, table);

  it('stores and delivers single-record jobs of earlier versions and batch jobs alike', async () => {
    const [one, two] = [await stack().page('jf-1', 'jf'), await stack().page('jf-2', 'jf')];
    const lone = message('jf-1', 'lone');
    const loneDynamic = dynamic('lone dynamic');
    const batch = { messages: [message('jf-1', 'b1'), message('jf-2', 'b2'), message('jf-2', 'b3')], dynamics: [dynamic('b4')], requestIds: ['req-a', 'req-b'] };
    await queue.add(JobName.message, { message: lone, requestId: 'req-old' }, { jobId: lone.id });
    await queue.add(JobName.dynamic, { dynamic: loneDynamic }, { jobId: loneDynamic.id });
    await queue.add(JobName.batch, batch, { jobId: `${batch.messages[0]?.id}+3.test` });

    await one.waitForCount('new_msg', 2);
    await two.waitForCount('new_msg', 2);
    await one.waitForCount('update_dynamic', 2);
    expect(one.events('new_msg').map((m) => m.title).sort()).toEqual(['b1', 'lone']);
    expect(two.events('new_msg').map((m) => m.title).sort()).toEqual(['b2', 'b3']);
    expect(new Set(storedIds('messages'))).toEqual(new Set([lone, ...batch.messages].map((m) => m.id)));
    expect(new Set(storedIds('dynamics'))).toEqual(new Set([loneDynamic, ...batch.dynamics].map((d) => d.id)));
    // The batch's log lines name the requests whose records it carries.
    await waitUntil(() => stack().logs.of('worker').some((line) => line.msg === 'job completed' && line.job === 'batch'), { timeoutMs: 5000, message: 'the batch is logged' });
    expect(stack().logs.of('worker').find((line) => line.msg === 'job completed' && line.job === 'batch')).toMatchObject({ requestIds: ['req-a', 'req-b'] });
  });

  it('stores nothing twice when a batch comes again, under another job id (a retried request in another batch)', async () => {
    const page = await stack().page('jf-3', 'jf');
    const records = [message('jf-3', 'again 1'), message('jf-3', 'again 2')];
    await queue.add(JobName.batch, { messages: records }, { jobId: 'first.test' });
    await page.waitForCount('new_msg', 2);
    await queue.add(JobName.batch, { messages: [...records, message('jf-3', 'marker')] }, { jobId: 'second.test' });
    // At-least-once: the records come again; the marker after them says the second job is done.
    await page.waitFor('new_msg', (m) => m.title === 'marker');
    const mine = new Set(records.map((m) => m.id));
    expect(storedIds('messages').filter((id) => mine.has(id))).toHaveLength(2);
    // Nor counted twice: the two and the marker, unread.
    expect((await stack().client.request('GET', '/v1/users/jf-3/unread-count')).body).toMatchObject({ total: 3 });
  });

  it('fails a malformed batch job for good, storing none of it', async () => {
    const good = message('jf-4', 'in a bad batch');
    const job = await queue.add(JobName.batch, { messages: [good, { id: 'not a record' }] }, { jobId: 'malformed.test' });
    await waitUntil(async () => (await job.getState()) === 'failed', { timeoutMs: 5000, message: 'the malformed batch failed' });
    expect((await queue.getJob(job.id as string))?.failedReason).toMatch(/^malformed batch job/);
    expect(storedIds('messages')).not.toContain(good.id);
  });
});
