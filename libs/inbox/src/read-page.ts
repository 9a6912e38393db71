import type { Page, RecordId } from '@notify/contracts';
import type { ListBounds } from '@notify/store';

/** Where a page starts: the first page, older than `before`, or newer than `after`. */
export interface PageRequest {
  limit: number;
  before?: RecordId;
  after?: RecordId;
}

/**
 * Reads one newest-first page with `read` (a store list), asking for `limit + 1` items to know
 * whether another page follows. With `after` it reads the `limit` items right after that id
 * (oldest first) and returns them newest first; `nextCursor` continues in the direction asked.
 */
export async function readPage<T extends { id: RecordId }>(
  request: PageRequest,
  read: (bounds: ListBounds) => Promise<T[]>,
): Promise<Page<T>> {
  const forward = request.after !== undefined;
  const bounds: ListBounds = { limit: request.limit + 1, order: forward ? 'oldest' : 'newest' };
  if (request.before !== undefined) bounds.before = request.before;
  if (request.after !== undefined) bounds.after = request.after;
  const items = await read(bounds);
  const more = items.length > request.limit;
  const page = items.slice(0, request.limit);
  const nextCursor = more ? (page.at(-1)?.id ?? null) : null;
  return { items: forward ? page.reverse() : page, nextCursor };
}
