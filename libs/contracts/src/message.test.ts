import { describe, expect, it } from 'vitest';
import { SendMessageBody } from './message.js';
import { toIssues } from './api-error.js';

const valid = { companyID: 7, receiverID: 1, typeID: 1, title: 'Hello', content: 'World' };

const issuesOf = (body: unknown) => {
  const result = SendMessageBody.safeParse(body);
  return result.success ? [] : toIssues(result.error);
};

describe('SendMessageBody', () => {
  it('accepts integer and string identifiers and stores them as strings', () => {
    const parsed = SendMessageBody.parse({ ...valid, senderID: 'u-9@x.com' });
    expect(parsed).toMatchObject({ companyID: '7', receiverID: '1', senderID: 'u-9@x.com' });
  });

  it('lists every problem at once, each under its field', () => {
    const issues = issuesOf({ companyID: { a: 1 }, receiverID: 'has space', typeID: 9, title: '', extra: true });
    expect(issues.map((issue) => issue.path).sort()).toEqual(['companyID', 'content', 'extra', 'receiverID', 'title', 'typeID']);
  });

  it('requires exactly one of receiverID and receiverIDs', () => {
    const { receiverID: _, ...noReceiver } = valid;
    expect(issuesOf(noReceiver)).toEqual([{ path: 'receiverID', message: expect.stringContaining('exactly one') }]);
    expect(issuesOf({ ...valid, receiverIDs: [2] })).toEqual([{ path: 'receiverID', message: expect.stringContaining('exactly one') }]);
    expect(issuesOf({ ...noReceiver, receiverIDs: [1, 2, '3'] })).toEqual([]);
  });

  it('bounds title, content and the receiver list', () => {
    const { receiverID: _, ...noReceiver } = valid;
    expect(issuesOf({ ...valid, title: 'x'.repeat(201) })[0]?.path).toBe('title');
    expect(issuesOf({ ...valid, content: 'x'.repeat(10_001) })[0]?.path).toBe('content');
    expect(issuesOf({ ...valid, content: 'x'.repeat(10_000) })).toEqual([]);
    expect(issuesOf({ ...noReceiver, receiverIDs: Array.from({ length: 1001 }, (_, i) => i) })[0]?.path).toBe('receiverIDs');
  });

  it('keeps text exactly as sent', () => {
    const title = `<script>alert("x")</script> '引号' 通知 🎉`;
    expect(SendMessageBody.parse({ ...valid, title }).title).toBe(title);
  });

  it('refuses lone surrogates, which could not be stored and returned unchanged, and keeps paired ones', () => {
    expect(issuesOf({ ...valid, title: 'a\ud800b', content: '\udc00' }).map((issue) => issue.path)).toEqual(['title', 'content']);
    expect(issuesOf({ ...valid, title: 'emoji \ud83c\udf89' })).toEqual([]);
  });

  it('rejects identifiers outside the allowed characters or lengths', () => {
    for (const bad of ['', 'a b', 'x'.repeat(65), 'é', 1.5, true, null]) {
      expect(issuesOf({ ...valid, receiverID: bad }).map((issue) => issue.path)).toContain('receiverID');
    }
  });
});
