import type { InboxCounts, StoredCounts } from '@notify/contracts';
import type { ClientEventAck, ClientEventName, Page } from './page.js';

/** The counts a page shows: of every `unread_count` it got, the one with the highest version (what pages keep). */
export function shownCounts(page: Page): InboxCounts | undefined {
  return page
    .events('unread_count')
    .reduce<InboxCounts | undefined>((best, counts) => (best && best.version > counts.version ? best : counts), undefined);
}

/** Counts without their version, to compare what a page shows with what the api answers now. */
export function unversioned(counts: InboxCounts | undefined): StoredCounts | undefined {
  if (!counts) return undefined;
  const { version: _version, ...rest } = counts;
  return rest;
}

/** A page's request (`list_messages`, `catch_up`, …) answered without an error; throws with the error ack otherwise. */
export async function requestOf<E extends ClientEventName>(
  page: Page,
  event: E,
  payload: unknown = {},
  timeoutMs?: number,
): Promise<Exclude<ClientEventAck<E>, { error: unknown }>> {
  const ack = await page.emitWithAck(event, payload, timeoutMs);
  if (typeof ack === 'object' && ack !== null && 'error' in ack) throw new Error(`${event} failed: ${JSON.stringify(ack)}`);
  return ack as Exclude<ClientEventAck<E>, { error: unknown }>;
}
