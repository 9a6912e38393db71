import { describe, expect, it } from 'vitest';
import type { Message } from '@notify/contracts';
import { applyChange, clearingDelta, deltaOf, NO_COUNTS, withDeltas } from './message-changes.js';
import { PendingChanges } from './pending-changes.js';
import { EventLog } from './event-log.js';
import { NewestFirst } from './newest-first.js';

const message = (id: string, state: Partial<Message> = {}): Message => ({
  id,
  companyID: '7',
  receiverID: '1',
  typeID: 1,
  title: id,
  content: '',
  date: '2026-12-01T00:00:00.000Z',
  isRead: false,
  isSeen: false,
  isArchived: false,
  ...state,
});
const ids = (list: readonly Message[]) => list.map((m) => m.id);

describe('message changes and their counts', () => {
  it('applies each change as the gateway does: reading also marks seen, archive and delete leave the inbox', () => {
    const m = message('A');
    expect(applyChange(m, 'read')).toMatchObject({ isRead: true, isSeen: true });
    expect(applyChange(m, 'seen')).toMatchObject({ isRead: false, isSeen: true });
    expect(applyChange(message('A', { isRead: true, isSeen: true }), 'unread')).toMatchObject({ isRead: false, isSeen: true });
    expect(applyChange(m, 'archive')).toBeUndefined();
    expect(applyChange(m, 'delete')).toBeUndefined();
    expect(applyChange(m, 'unread')).toBe(m);
  });

  it('moves the counts by what the change does to the messages shown, never below zero', () => {
    const shown = [message('A', { typeID: 2 }), message('B', { isSeen: true }), message('C', { isRead: true, isSeen: true })];
    expect(deltaOf(shown, 'read')).toEqual({ total: -2, byType: { '1': -1, '2': -1, '3': 0 }, unseen: -1 });
    expect(deltaOf(shown, 'unread')).toEqual({ total: 1, byType: { '1': 1, '2': 0, '3': 0 }, unseen: 0 });
    expect(deltaOf(shown, 'delete')).toEqual({ total: -2, byType: { '1': -1, '2': -1, '3': 0 }, unseen: -1 });
    const counts = { total: 1, byType: { '1': 1, '2': 0, '3': 0 }, unseen: 3, version: 9 };
    expect(withDeltas(counts, [deltaOf(shown, 'read')])).toEqual({ total: 0, byType: { '1': 0, '2': 0, '3': 0 }, unseen: 2, version: 9 });
    expect(withDeltas(counts, [clearingDelta(counts, 'seen')])).toMatchObject({ total: 1, unseen: 0 });
    expect(withDeltas(NO_COUNTS, [])).toBe(NO_COUNTS);
  });
});

describe('PendingChanges', () => {
  it('shows unanswered changes over the confirmed messages, and drops them to roll back', () => {
    const confirmed = [message('C'), message('B'), message('A')];
    const pending = new PendingChanges();
    expect(pending.overlay(confirmed)).toBe(confirmed);
    const archive = pending.add({ change: 'archive', target: { ids: new Set(['B']) }, delta: deltaOf([message('B')], 'archive'), versionAtSend: 5 });
    const read = pending.add({ change: 'read', target: { upTo: 'B' }, delta: deltaOf([], 'read'), versionAtSend: 5 });
    const shown = pending.overlay(confirmed);
    expect(ids(shown)).toEqual(['C', 'A']);
    expect(shown[1]).toMatchObject({ isRead: true });
    expect(Object.isFrozen(shown[1])).toBe(true);
    pending.remove(archive);
    expect(ids(pending.overlay(confirmed))).toEqual(['C', 'B', 'A']);
    pending.remove(read);
    expect(pending.overlay(confirmed)).toBe(confirmed);
  });

  it('keeps an answered change in the counts until counts newer than its sending arrive', () => {
    const pending = new PendingChanges();
    const change = pending.add({ change: 'read', target: { ids: new Set(['A']) }, delta: deltaOf([message('A')], 'read'), versionAtSend: 5 });
    pending.answer(change, false);
    expect(pending.overlay([message('A')])[0]).toMatchObject({ isRead: false }); // the confirmed messages carry it now
    pending.countsArrived(5);
    expect(pending.deltas()).toHaveLength(1);
    pending.countsArrived(6);
    expect(pending.size).toBe(0);
  });
});

describe('EventLog', () => {
  it('applies again, in order, what happened since a read was sent, and forgets it once no read is in flight', () => {
    const seen: string[] = [];
    const log = new EventLog();
    log.apply(() => seen.push('before'));
    const first = log.mark();
    log.apply(() => seen.push('a'));
    const second = log.mark();
    log.apply(() => seen.push('b'));
    log.replaySince(second);
    log.release();
    log.replaySince(first);
    log.release();
    log.apply(() => seen.push('after'));
    const third = log.mark();
    log.replaySince(third);
    log.release();
    expect(seen).toEqual(['before', 'a', 'b', 'b', 'a', 'b', 'after']);
  });
});

describe('NewestFirst', () => {
  it('keeps one record per id, newest first, the same array until a change', () => {
    const list = new NewestFirst<Message>();
    for (const id of ['B', 'D', 'A', 'C', 'B']) list.set(message(id));
    const items = list.items;
    expect(ids(items)).toEqual(['D', 'C', 'B', 'A']);
    expect(list.items).toBe(items);
    list.replaceFrom('B', [message('E'), message('C')]);
    expect(ids(list.items)).toEqual(['E', 'C', 'A']);
    expect(list.oldest).toBe('A');
  });
});
