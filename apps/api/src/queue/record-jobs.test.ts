import { describe, expect, it } from 'vitest';
import { JobName, NEW_MESSAGE_STATE, newRecordId, type Dynamic, type Message } from '@notify/contracts';
import { approximateBytes, batchJobId, recordJobs } from './record-jobs.js';

const message = (content = ''): Message => ({
  id: newRecordId(), companyID: '7', receiverID: '1', typeID: 1, title: 't', content, date: '2026-12-01T00:00:00.000Z', ...NEW_MESSAGE_STATE,
});
const dynamic = (): Dynamic => ({ id: newRecordId(), companyID: '7', operatorID: '2', operator: 'Bob', title: 't', content: '', date: '2026-12-01T00:00:00.000Z' });
const roomy = { maxRecords: 1000, maxBytes: 1024 * 1024 };

describe('recordJobs', () => {
  it('puts a lone record in a job of its own kind whose id is the record id, as before batch jobs', () => {
    const m = message();
    const d = dynamic();
    expect(recordJobs([{ messages: [m], requestId: 'r1' }], roomy)).toEqual([{ name: JobName.message, data: { message: m, requestId: 'r1' }, opts: { jobId: m.id } }]);
    expect(recordJobs([{ dynamics: [d] }], roomy)).toEqual([{ name: JobName.dynamic, data: { dynamic: d, requestId: undefined }, opts: { jobId: d.id } }]);
  });

  it('puts the records of every request of the turn into one batch job that names its requests', () => {
    const [a, b, c] = [message(), message(), message()];
    const d = dynamic();
    const jobs = recordJobs([{ messages: [a, b], requestId: 'r1' }, { dynamics: [d], requestId: 'r2' }, { messages: [c], requestId: 'r1' }], roomy);
    expect(jobs).toEqual([
      { name: JobName.batch, data: { messages: [a, b, c], dynamics: [d], requestIds: ['r1', 'r2'] }, opts: { jobId: batchJobId([a.id, b.id, d.id, c.id]) } },
    ]);
  });

  it('starts another job at the record bound, and a lone record left over is a job of its own kind', () => {
    const messages = Array.from({ length: 7 }, () => message());
    const jobs = recordJobs([{ messages }], { maxRecords: 3, maxBytes: 1024 * 1024 });
    expect(jobs.map((job) => job.name)).toEqual(['batch', 'batch', 'message']);
    expect(jobs.map((job) => job.opts.jobId)).toEqual([batchJobId(messages.slice(0, 3).map((m) => m.id)), batchJobId(messages.slice(3, 6).map((m) => m.id)), messages[6]?.id]);
  });

  it('starts another job at the byte bound, and gives a record larger than the bound a job of its own', () => {
    const small = () => message('x'.repeat(1000));
    const [a, b, c] = [small(), small(), small()];
    const huge = message('x'.repeat(10_000));
    const bound = 2 * approximateBytes(a) + 10;
    const jobs = recordJobs([{ messages: [a, b, huge, c] }], { maxRecords: 1000, maxBytes: bound });
    expect(jobs.map((job) => (job.data as { messages?: Message[] }).messages?.map((m) => m.id) ?? [(job.data as { message: Message }).message.id])).toEqual([
      [a.id, b.id],
      [huge.id],
      [c.id],
    ]);
  });

  it('gives batches of other records other ids, even with the same first record and size', () => {
    const [first, x, y] = [message(), message(), message()];
    const id = batchJobId([first.id, x.id]);
    expect(id).toMatch(new RegExp(`^${first.id}\\+1\\.[0-9a-f]{16}$`));
    expect(batchJobId([first.id, y.id])).not.toBe(id);
    expect(batchJobId([first.id, x.id])).toBe(id);
  });
});
