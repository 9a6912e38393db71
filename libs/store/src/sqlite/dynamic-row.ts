import type { Dynamic } from '@notify/contracts';
import { withoutNulls } from './without-nulls.js';

/** A `dynamics` row; absent fields are NULL. */
export interface DynamicRow {
  id: string;
  companyID: string;
  operatorID: string;
  operator: string;
  portrait: string | null;
  receiver: string | null;
  title: string;
  content: string;
  url: string | null;
  objectType: string | null;
  objectID: string | null;
  date: string;
}

/** The columns of {@link DynamicRow}, in the order of the contracts' `Dynamic`. */
export const DYNAMIC_COLUMNS = [
  'id', 'companyID', 'operatorID', 'operator', 'portrait', 'receiver',
  'title', 'content', 'url', 'objectType', 'objectID', 'date',
] as const satisfies readonly (keyof DynamicRow)[];

/** The row that stores `dynamic`. */
export function dynamicToRow(dynamic: Dynamic): DynamicRow {
  return {
    id: dynamic.id,
    companyID: dynamic.companyID,
    operatorID: dynamic.operatorID,
    operator: dynamic.operator,
    portrait: dynamic.portrait ?? null,
    receiver: dynamic.receiver ?? null,
    title: dynamic.title,
    content: dynamic.content,
    url: dynamic.url ?? null,
    objectType: dynamic.objectType ?? null,
    objectID: dynamic.objectID ?? null,
    date: dynamic.date,
  };
}

/** The dynamic a row stores. */
export function rowToDynamic(row: DynamicRow): Dynamic {
  return withoutNulls(row);
}
