import type { Page } from '@notify/contracts';
import { NewestFirst } from './newest-first.js';

/**
 * One of the inbox's lists (messages, or the activity feed) as the gateway confirmed it: the
 * records held, newest first, and where the next older page starts.
 */
export class PagedList<T extends { readonly id: string }> {
  readonly records = new NewestFirst<T>();
  /** The `before` of the next older page; null when the oldest record is held. */
  private cursor: string | null = null;
  /** The first page has been loaded at least once. */
  loaded = false;
  /** Grows when the list is reloaded, so that an older page asked for before is dropped, not appended. */
  generation = 0;
  /** A `loadMore` in flight. */
  loading: Promise<void> | undefined;

  get nextCursor(): string | null {
    return this.cursor;
  }

  get hasMore(): boolean {
    return this.loaded && this.cursor !== null;
  }

  /**
   * Whether a record with this id belongs among those held: a record older than the pages loaded
   * would sit alone below a gap; it comes with its page instead.
   */
  inRange(id: string): boolean {
    return !this.loaded || this.cursor === null || id > this.cursor;
  }

  /** Holds `page` as the whole list: its first page. */
  reset(page: Page<T>): void {
    this.records.clear();
    this.append(page);
    this.loaded = true;
  }

  /** Adds an older page (a record held already is replaced by the page's, which is as new or newer). */
  append(page: Page<T>): void {
    for (const item of page.items) this.records.set(item);
    this.cursor = page.nextCursor;
  }
}
