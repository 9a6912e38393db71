import type { Message, MessageChange } from '@notify/contracts';
import { applyChange, covers, type ChangeTarget, type CountsDelta } from './message-changes.js';

/** A change the page has made and shows at once (optimistic), until the gateway answers and the counts catch up. */
export interface PendingChange {
  readonly change: MessageChange;
  readonly target: ChangeTarget;
  /** How it moves the counts, as the page saw them when it was made. */
  readonly delta: CountsDelta;
  /** The counts version the page held when it was sent: counts with a higher one may include it. */
  readonly versionAtSend: number;
  /** The gateway has made it; only its count delta still applies, until newer counts arrive. */
  answered: boolean;
}

/**
 * The page's changes not yet confirmed. An unanswered change is applied over the messages the
 * gateway has confirmed; a refused one is dropped, and the view falls back to those, with whatever
 * the gateway said meanwhile (a rollback that never undoes another page's change). An answered
 * change is applied to the confirmed messages by the caller and keeps moving the counts until
 * counts with a higher version than when it was sent arrive (the gateway counts after the change).
 */
export class PendingChanges {
  private list: PendingChange[] = [];
  /** Grows on every change of the list, so views built from it can be cached. */
  revision = 0;

  get size(): number {
    return this.list.length;
  }

  add(change: Omit<PendingChange, 'answered'>): PendingChange {
    const pending = { ...change, answered: false };
    this.list = [...this.list, pending];
    this.revision += 1;
    return pending;
  }

  remove(pending: PendingChange): void {
    const before = this.list.length;
    this.list = this.list.filter((entry) => entry !== pending);
    if (this.list.length !== before) this.revision += 1;
  }

  /** The gateway made `pending`; drop it at once when the counts already include it (`settled`). */
  answer(pending: PendingChange, settled: boolean): void {
    if (settled) {
      this.remove(pending);
      return;
    }
    pending.answered = true;
    this.revision += 1;
  }

  /** Counts of `version` arrived: answered changes sent before them are in them now. */
  countsArrived(version: number): void {
    const before = this.list.length;
    this.list = this.list.filter((entry) => !(entry.answered && version > entry.versionAtSend));
    if (this.list.length !== before) this.revision += 1;
  }

  /** Every count delta still to apply. */
  deltas(): CountsDelta[] {
    return this.list.map((entry) => entry.delta);
  }

  /** `messages` (newest first) with every unanswered change applied; the same array when none applies. */
  overlay(messages: readonly Message[]): readonly Message[] {
    const unanswered = this.list.filter((entry) => !entry.answered);
    if (unanswered.length === 0) return messages;
    const shown: Message[] = [];
    for (const message of messages) {
      let current: Message | undefined = message;
      for (const entry of unanswered) {
        if (current && covers(entry.target, current)) current = applyChange(current, entry.change);
      }
      if (current) shown.push(current === message ? message : Object.freeze(current));
    }
    return shown;
  }
}
