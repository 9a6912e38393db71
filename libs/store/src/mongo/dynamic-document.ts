import type { Dynamic } from '@notify/contracts';

/** A dynamic as stored in the `operation_log` collection. */
export interface DynamicDocument {
  /** The record id. */
  _id: string;
  companyID: string;
  operatorID: string;
  operator: string;
  portrait?: string;
  receiver?: string;
  title: string;
  content: string;
  url?: string;
  objectType?: string;
  objectID?: string;
  /** The contract's ISO string, kept exactly as accepted. */
  date: string;
}

const OPTIONAL_FIELDS = ['portrait', 'receiver', 'url', 'objectType', 'objectID'] as const;

/** The document stored for a dynamic. */
export function toDynamicDocument(dynamic: Dynamic): DynamicDocument {
  const document: DynamicDocument = {
    _id: dynamic.id,
    companyID: dynamic.companyID,
    operatorID: dynamic.operatorID,
    operator: dynamic.operator,
    title: dynamic.title,
    content: dynamic.content,
    date: dynamic.date,
  };
  for (const field of OPTIONAL_FIELDS) {
    const value = dynamic[field];
    if (value !== undefined) document[field] = value;
  }
  return document;
}

/** The contract's Dynamic for a stored document: `id` not `_id`, absent optional fields left out. */
export function fromDynamicDocument(document: DynamicDocument): Dynamic {
  const dynamic: Dynamic = {
    id: document._id,
    companyID: document.companyID,
    operatorID: document.operatorID,
    operator: document.operator,
    title: document.title,
    content: document.content,
    date: document.date,
  };
  for (const field of OPTIONAL_FIELDS) {
    const value = document[field];
    if (value != null) dynamic[field] = value;
  }
  return dynamic;
}
