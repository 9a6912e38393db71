import type { Page } from '@notify/contracts';

/**
 * Lists are read with `limit + 1` items so the api knows whether another page exists:
 * `nextCursor` is the last returned id when it does, null on the last page.
 */
export async function toPage<T extends { id: string }>(limit: number, read: (limit: number) => Promise<T[]>): Promise<Page<T>> {
  const items = await read(limit + 1);
  if (items.length <= limit) return { items, nextCursor: null };
  const page = items.slice(0, limit);
  return { items: page, nextCursor: page[page.length - 1]?.id ?? null };
}
