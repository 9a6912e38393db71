import { describe, expect, it } from 'vitest';
import { PushFields } from './push-fields.js';

describe('PushFields', () => {
  it('takes a message as the PHP form sent it, typeID as a string', () => {
    const fields = { action: 'message', receiverID: '1', companyID: '7', typeID: '1', title: 'Hi', content: 'there' };
    expect(PushFields.parse(fields)).toEqual({ ...fields, typeID: 1 });
  });

  it('takes JSON numbers, a dynamic, and the key field', () => {
    expect(PushFields.parse({ action: 'message', receiverID: 1, companyID: 7, typeID: 3, title: 't', content: '' })).toMatchObject({ receiverID: '1', typeID: 3 });
    const dynamic = { action: 'dynamic', key: 'k', companyID: '7', operatorID: '2', operator: 'Bob', title: 'did', content: 'it', objectType: 'task', objectID: '5' };
    expect(PushFields.parse(dynamic)).toEqual(dynamic);
  });

  it('refuses an unknown action, an unknown field, typeID 9 and receiverIDs', () => {
    const message = { action: 'message', receiverID: '1', companyID: '7', typeID: '1', title: 't', content: 'c' };
    expect(PushFields.safeParse({ ...message, action: 'publish' }).success).toBe(false);
    expect(PushFields.safeParse({ ...message, to: '1' }).success).toBe(false);
    expect(PushFields.safeParse({ ...message, typeID: '9' }).success).toBe(false);
    expect(PushFields.safeParse({ ...message, typeID: 'x' }).success).toBe(false);
    const { receiverID: _one, ...many } = message;
    expect(PushFields.safeParse({ ...many, receiverIDs: ['1', '2'] }).success).toBe(false);
  });

  it('takes a message as older backends send it: no companyID, the sender as operatorID/operator, a token', () => {
    const older = { action: 'message', receiverID: '1', typeID: '1', title: 't', content: 'c', operatorID: '2', operator: 'Bob', token: 'secret' };
    expect(PushFields.parse(older)).toEqual({ ...older, typeID: 1 });
    expect(PushFields.parse({ ...older, senderID: '2', sender: 'Bob' })).toMatchObject({ senderID: '2', operatorID: '2' });
  });

  it('refuses a sender named twice with two values, and a malformed idempotencyKey', () => {
    const message = { action: 'message', receiverID: '1', typeID: '1', title: 't', content: 'c' };
    const conflict = PushFields.safeParse({ ...message, senderID: '2', operatorID: '3', sender: 'Bob', operator: 'Eve' });
    expect(conflict.error?.issues.map((issue) => issue.path.join('.')).sort()).toEqual(['operator', 'operatorID']);
    expect(PushFields.safeParse({ ...message, idempotencyKey: 'k-1' }).success).toBe(true);
    expect(PushFields.safeParse({ ...message, idempotencyKey: 'has space' }).error?.issues[0]?.path).toEqual(['idempotencyKey']);
  });
});
