import { describe, expect, it } from 'vitest';
import { OlderPageDynamic, OlderPageMessageEvent, type Dynamic, type NewMessageEvent } from '@notify/contracts';
import { toOlderPageDynamic, toOlderPageMessage } from './older-page-payloads.js';

const XSS = '<img src=x onerror="window.__xss=1">';

describe('payloads for older pages', () => {
  it('escapes every text field of a message, writes the older date and keeps everything else', () => {
    const message: NewMessageEvent = {
      id: '01KBBX0000000000000000000A', companyID: '7', receiverID: '1', senderID: '2', sender: 'Bob & Co',
      portrait: '/p.png?a=1&b=2', typeID: 1, title: XSS, content: "it's <b>", url: '/t?x=1&y=2',
      date: '2026-12-01T03:24:58.000Z', isRead: false, isSeen: false, isArchived: false, replayed: true,
    };
    const original = structuredClone(message);
    const older = toOlderPageMessage(message, 'Asia/Shanghai');
    expect(older).toEqual({
      ...message,
      sender: 'Bob &amp; Co',
      portrait: '/p.png?a=1&amp;b=2',
      title: '&lt;img src=x onerror=&quot;window.__xss=1&quot;&gt;',
      content: 'it&#039;s &lt;b&gt;',
      url: '/t?x=1&amp;y=2',
      date: '2026-12-01 11:24:58',
    });
    expect(OlderPageMessageEvent.parse(older)).toEqual(older);
    expect(message).toEqual(original);
  });

  it('escapes every text field of a dynamic and leaves absent fields absent', () => {
    const dynamic: Dynamic = {
      id: '01KBBX0000000000000000000B', companyID: '7', operatorID: '2', operator: '<Bob>', receiver: 'Al & Bo',
      title: 'created a task', content: 'Task "5"', objectType: 'task', objectID: '5', date: '2026-12-01T03:24:58.000Z',
    };
    const older = toOlderPageDynamic(dynamic, 'UTC');
    expect(older).toEqual({ ...dynamic, operator: '&lt;Bob&gt;', receiver: 'Al &amp; Bo', content: 'Task &quot;5&quot;', date: '2026-12-01 03:24:58' });
    expect(older).not.toHaveProperty('url');
    expect(OlderPageDynamic.parse(older)).toEqual(older);
  });
});
