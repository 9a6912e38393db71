import type { BrowserInbox, InboxSnapshot } from '@notify/browser';

/** Resolves with the first snapshot of `inbox` that passes `check` (now or after a change); rejects after `timeoutMs` saying what it last was. */
export function snapshotWhere(inbox: BrowserInbox, check: (snapshot: InboxSnapshot) => boolean, what: string, timeoutMs = 10_000): Promise<InboxSnapshot> {
  return new Promise((resolve, reject) => {
    let stop = () => {};
    const timer = setTimeout(() => {
      stop();
      const { status, complete, counts, messages, error } = inbox.getSnapshot();
      const last = { status, complete, total: counts.total, messages: messages.length, error: error?.message };
      reject(new Error(`timed out after ${timeoutMs} ms waiting until ${what}; the inbox is ${JSON.stringify(last)}`));
    }, timeoutMs);
    const test = () => {
      const snapshot = inbox.getSnapshot();
      if (!check(snapshot)) return;
      clearTimeout(timer);
      stop();
      resolve(snapshot);
    };
    stop = inbox.subscribe(test);
    test();
  });
}

/** What a page shows of its inbox, to compare two inboxes: ids and states of the messages, counts, feed ids. */
export function shown(snapshot: InboxSnapshot) {
  return {
    messages: snapshot.messages.map(({ id, isRead, isSeen }) => ({ id, isRead, isSeen })),
    counts: { total: snapshot.counts.total, byType: snapshot.counts.byType, unseen: snapshot.counts.unseen },
    dynamics: snapshot.dynamics.map(({ id }) => id),
  };
}
