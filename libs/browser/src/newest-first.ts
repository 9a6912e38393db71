/**
 * Records kept newest first by id (ids are ULIDs: they sort by acceptance time), one per id. The
 * array `items` is rebuilt only after a change, so an unchanged list keeps its identity.
 */
export class NewestFirst<T extends { readonly id: string }> {
  private readonly byId = new Map<string, T>();
  private sorted: readonly T[] | undefined = [];

  get size(): number {
    return this.byId.size;
  }

  has(id: string): boolean {
    return this.byId.has(id);
  }

  get(id: string): T | undefined {
    return this.byId.get(id);
  }

  /** Adds or replaces the record with this id. */
  set(item: T): void {
    this.byId.set(item.id, item);
    this.sorted = undefined;
  }

  delete(id: string): boolean {
    const deleted = this.byId.delete(id);
    if (deleted) this.sorted = undefined;
    return deleted;
  }

  clear(): void {
    this.byId.clear();
    this.sorted = [];
  }

  /** Replaces every record from `oldest` (included) to the newest with `items`. */
  replaceFrom(oldest: string, items: readonly T[]): void {
    for (const id of [...this.byId.keys()]) if (id >= oldest) this.byId.delete(id);
    for (const item of items) this.byId.set(item.id, item);
    this.sorted = undefined;
  }

  /** Every record, newest first (a new frozen array after each change, the same one otherwise). */
  get items(): readonly T[] {
    this.sorted ??= Object.freeze([...this.byId.values()].sort((a, b) => (a.id < b.id ? 1 : a.id > b.id ? -1 : 0)));
    return this.sorted;
  }

  /** The oldest record's id. */
  get oldest(): string | undefined {
    return this.items.at(-1)?.id;
  }
}
