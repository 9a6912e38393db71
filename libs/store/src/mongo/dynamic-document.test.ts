import { BSON } from 'mongodb';
import { Dynamic, newRecordId } from '@notify/contracts';
import { describe, expect, it } from 'vitest';
import { fromDynamicDocument, toDynamicDocument } from './dynamic-document.js';
import type { DynamicDocument } from './dynamic-document.js';

const bare: Dynamic = {
  id: newRecordId(),
  companyID: 'c1',
  operatorID: 'op1',
  operator: 'Olga',
  title: 'Created a task',
  content: 'Task #1',
  date: '2026-03-04T05:06:07.089Z',
};
const full: Dynamic = { ...bare, id: newRecordId(), portrait: 'p.png', receiver: 'Bob', url: 'https://app.example/d/1', objectType: 'task', objectID: 't1' };

describe('dynamic documents', () => {
  it('stores the record id as _id and leaves absent optional fields out', () => {
    const { id, ...fields } = bare;
    const document = toDynamicDocument(bare);
    expect(document).toStrictEqual({ _id: id, ...fields });
    expect(Object.keys(document)).not.toContain('id');
    expect(Object.keys(document)).not.toContain('objectType');
  });

  it('round-trips dynamics with and without optional fields, through BSON', () => {
    for (const dynamic of [bare, full]) {
      const stored = BSON.deserialize(BSON.serialize(toDynamicDocument(dynamic))) as DynamicDocument;
      const back = fromDynamicDocument(stored);
      expect(back).toStrictEqual(dynamic);
      expect(Dynamic.parse(back)).toStrictEqual(back);
    }
  });
});
