/**
 * The pages (tabs) each user has open on this gateway, per company. Kept in memory only: Redis
 * hears about a user on this gateway when their first page opens and their last one closes.
 */
export class LocalSessions {
  private readonly companies = new Map<string, Map<string, number>>();

  /** Counts one more page of `uid`; returns how many it now has here. */
  open(companyID: string, uid: string): number {
    let users = this.companies.get(companyID);
    if (!users) this.companies.set(companyID, (users = new Map()));
    const pages = (users.get(uid) ?? 0) + 1;
    users.set(uid, pages);
    return pages;
  }

  /** Counts one page less (never below zero); returns how many are left here. */
  close(companyID: string, uid: string): number {
    const users = this.companies.get(companyID);
    const pages = (users?.get(uid) ?? 0) - 1;
    if (!users || pages < 0) return 0;
    if (pages > 0) {
      users.set(uid, pages);
    } else {
      users.delete(uid);
      if (users.size === 0) this.companies.delete(companyID);
    }
    return pages;
  }

  /** Whether `uid` has at least one page open here. */
  isOnline(companyID: string, uid: string): boolean {
    return this.companies.get(companyID)?.has(uid) ?? false;
  }

  /** A snapshot: each company with the uids that have a page open here. */
  snapshot(): Map<string, string[]> {
    return new Map([...this.companies].map(([companyID, users]) => [companyID, [...users.keys()]]));
  }

  /** Forgets every page (shutdown). */
  clear(): void {
    this.companies.clear();
  }
}
