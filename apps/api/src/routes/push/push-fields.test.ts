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
});
