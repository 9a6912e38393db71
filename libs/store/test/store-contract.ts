import { afterEach, describe, expect, it } from 'vitest';
import { Dynamic, Message, NO_COUNTS, recordIdTime } from '@notify/contracts';
import type { MessageQuery, NotificationStore } from '../src/notification-store.js';
import { TEST_DATE as DATE, testDynamic as dynamic, testMessage as message, testMessages as messages, testMessagesAcrossHours } from './test-records.js';

/** Makes a fresh, empty store; `messagesCapDocs` is its message cap. */
export type CreateStore = (options: { messagesCapDocs: number }) => Promise<NotificationStore>;

/** What an adapter on a given server does differently from the contract, each with the reason. */
export interface StoreContractOptions {
  /**
   * Set when the server applies the message cap some time after an insert rather than with it:
   * the tests that count messages right after going over the cap are then skipped, with this
   * reason in their titles.
   */
  capAppliedLater?: string;
}

const READ_AT = '2026-03-05T10:00:00.000Z';

const ids = (records: readonly { id: string }[]) => records.map((record) => record.id);
/** How many clock hours lie between the hours two records were accepted in. */
const hoursBetween = (first: { id: string }, last: { id: string }) =>
  Math.floor((recordIdTime(last.id) as number) / 3_600_000) - Math.floor((recordIdTime(first.id) as number) / 3_600_000);
const newestFirst = <T extends { id: string }>(records: readonly T[]) => [...records].sort((a, b) => (a.id < b.id ? 1 : -1));
/** A shuffled copy, so that tests prove order by id rather than by insertion. */
const shuffled = <T>(items: readonly T[]) => [...items].sort(() => Math.random() - 0.5);
/** Counts with these unread per type, and `unseen` (by default as many as unread: reading marks seen). */
const unread = (one: number, two: number, three: number, unseen = one + two + three) => ({
  total: one + two + three,
  byType: { '1': one, '2': two, '3': three },
  unseen,
});
/** The fields reading at {@link READ_AT} sets on a message never seen before. */
const READ = { isRead: true, readAt: READ_AT, isSeen: true, seenAt: READ_AT } as const;

const EXOTIC_TEXT = [
  '<script>alert("x")</script><b>bold</b> &amp; &lt;',
  `it's "quoted" \`back\` \\ back-slash; DROP TABLE messages; --`,
  'emoji 🎉👍🏽👨‍👩‍👧 flags 🇨🇳',
  '中文内容：你好，世界！',
  'line one\nline two\ttab\r\nend',
];

/**
 * The behaviour every NotificationStore adapter must have, as users of the api and the pages see
 * it. `createStore` must return a fresh, isolated store per call; each test closes its stores.
 */
export function runStoreContract(name: string, createStore: CreateStore, options: StoreContractOptions = {}): void {
  const { capAppliedLater } = options;
  const capNote = capAppliedLater ? ` (${capAppliedLater})` : '';
  describe(`NotificationStore contract: ${name}`, () => {
    const opened: NotificationStore[] = [];
    const open = async (messagesCapDocs = 10_000) => {
      const store = await createStore({ messagesCapDocs });
      opened.push(store);
      return store;
    };

    afterEach(async () => {
      await Promise.all(opened.splice(0).map((store) => store.close()));
    });

    describe('records', () => {
      it('returns messages exactly as inserted, with every optional field present or absent', async () => {
        const store = await open();
        const full = message({ senderID: 's1', sender: 'Sam', portrait: 'https://img.example/s.png', url: 'https://app.example/t/1', typeID: 2 });
        const bare = message();
        await store.insertMessages([full, bare]);

        const listed = await store.listMessages({ receiverID: 'alice', limit: 10 });

        expect(listed).toStrictEqual([bare, full]);
        for (const item of listed) expect(Message.parse(item)).toStrictEqual(item);
        expect(Object.keys(listed[0] ?? {})).not.toContain('readAt');
      });

      it('stores text exactly as sent: markup, quotes, emoji, Chinese, 10,000 characters', async () => {
        const store = await open();
        const sent = [
          ...EXOTIC_TEXT.map((text) => message({ title: text, content: text, sender: text })),
          message({ title: '长'.repeat(200), content: '界🎉'.repeat(3_333) + 'x' }),
        ];
        await store.insertMessages(sent);
        await store.insertDynamics(EXOTIC_TEXT.map((text) => dynamic({ title: text, content: text, operator: text, receiver: text })));

        expect(await store.listMessages({ receiverID: 'alice', limit: 100 })).toStrictEqual(newestFirst(sent));
        const logs = await store.listCompanyDynamics({ companyID: 'c1', limit: 100 });
        expect(logs.map((d) => d.content).reverse()).toStrictEqual(EXOTIC_TEXT);
        expect(sent.at(-1)?.content).toHaveLength(10_000);
      });

      it('returns dynamics exactly as inserted, with every optional field present or absent', async () => {
        const store = await open();
        const full = dynamic({ portrait: 'p.png', receiver: 'Bob', url: 'https://app.example/d/1', objectType: 'task', objectID: 't1' });
        const bare = dynamic();
        await store.insertDynamics([full, bare]);

        const listed = await store.listCompanyDynamics({ companyID: 'c1', limit: 10 });

        expect(listed).toStrictEqual([bare, full]);
        for (const item of listed) expect(Dynamic.parse(item)).toStrictEqual(item);
      });

      it('returns empty lists and zero counts for an empty store', async () => {
        const store = await open();
        expect(await store.listMessages({ receiverID: 'alice', limit: 10 })).toEqual([]);
        expect(await store.counts('alice')).toEqual(NO_COUNTS);
        expect(await store.listCompanyDynamics({ companyID: 'c1', limit: 10 })).toEqual([]);
        expect(await store.listObjectLogs({ objectType: 'task', objectID: 't1', limit: 10 })).toEqual([]);
        expect(await store.changeMessages('alice', 'read', { all: true }, READ_AT)).toHaveLength(0);
      });
    });

    describe('idempotent inserts', () => {
      it('keeps one message when an id is inserted twice in a batch or across batches', async () => {
        const store = await open();
        const first = message();
        await store.insertMessages([first, { ...first, title: 'changed' }]);
        await store.insertMessages([{ ...first, title: 'changed again' }]);

        expect(await store.listMessages({ receiverID: 'alice', limit: 10 })).toStrictEqual([first]);
        expect(await store.counts('alice')).toEqual(unread(1, 0, 0));
      });

      it('keeps a message read when its job is retried after it was read', async () => {
        const store = await open();
        const original = message();
        await store.insertMessages([original]);
        await store.changeMessages('alice', 'read', { ids: [original.id] }, READ_AT);
        await store.insertMessages([original]);

        expect(await store.listMessages({ receiverID: 'alice', limit: 10 })).toStrictEqual([{ ...original, ...READ }]);
        expect(await store.counts('alice')).toEqual(NO_COUNTS);
      });

      it('keeps one dynamic when an id is inserted twice', async () => {
        const store = await open();
        const first = dynamic({ objectType: 'task', objectID: 't1' });
        await store.insertDynamics([first, first]);
        await store.insertDynamics([{ ...first, title: 'changed' }]);

        expect(await store.listCompanyDynamics({ companyID: 'c1', limit: 10 })).toStrictEqual([first]);
        expect(await store.listObjectLogs({ objectType: 'task', objectID: 't1', limit: 10 })).toStrictEqual([first]);
      });
    });

    describe('listMessages', () => {
      it('lists newest first by id and pages with before to the end, without gaps or repeats', async () => {
        const store = await open();
        const all = messages(25);
        await store.insertMessages(shuffled(all));

        const pages: Message[][] = [];
        let before: string | undefined;
        for (;;) {
          const page = await store.listMessages({ receiverID: 'alice', limit: 10, before });
          if (page.length === 0) break;
          pages.push(page);
          before = page.at(-1)?.id;
        }

        expect(pages.map((page) => page.length)).toEqual([10, 10, 5]);
        expect(ids(pages.flat())).toEqual(ids(all).reverse());
      });

      it('returns only messages newer than after, newest first, within limit', async () => {
        const store = await open();
        const all = messages(10);
        await store.insertMessages(all);
        const newer = ids(all.slice(5)).reverse();

        expect(ids(await store.listMessages({ receiverID: 'alice', limit: 10, after: all[4]?.id }))).toEqual(newer);
        expect(ids(await store.listMessages({ receiverID: 'alice', limit: 2, after: all[4]?.id }))).toEqual(newer.slice(0, 2));
        expect(ids(await store.listMessages({ receiverID: 'alice', limit: 10, after: all[4]?.id, before: all[8]?.id }))).toEqual(newer.slice(2));
      });

      it('reads oldest first with order, and from an id on with atOrAfter', async () => {
        const store = await open();
        const all = messages(6);
        await store.insertMessages(shuffled(all));

        expect(ids(await store.listMessages({ receiverID: 'alice', limit: 2, after: all[1]!.id, order: 'oldest' }))).toEqual(ids(all.slice(2, 4)));
        expect(ids(await store.listMessages({ receiverID: 'alice', limit: 10, atOrAfter: all[3]!.id }))).toEqual(ids(all.slice(3)).reverse());
        expect(ids(await store.listMessages({ receiverID: 'alice', limit: 10, atOrAfter: all[3]!.id, order: 'oldest' }))).toEqual(ids(all.slice(3)));
      });

      it('filters by companyID, read state and typeID', async () => {
        const store = await open();
        const c1Type1 = message({ typeID: 1 });
        const c1Type2 = message({ typeID: 2 });
        const c1Type3Read = message({ typeID: 3 });
        const c2Type2 = message({ typeID: 2, companyID: 'c2' });
        await store.insertMessages([c1Type1, c1Type2, c1Type3Read, c2Type2]);
        await store.changeMessages('alice', 'read', { ids: [c1Type3Read.id] }, READ_AT);
        const list = async (filters: { companyID?: string; unread?: boolean; typeID?: 1 | 2 | 3 }) =>
          ids(await store.listMessages({ receiverID: 'alice', limit: 10, ...filters }));

        expect(await list({})).toEqual(ids([c2Type2, c1Type3Read, c1Type2, c1Type1]));
        expect(await list({ companyID: 'c2' })).toEqual(ids([c2Type2]));
        expect(await list({ unread: true })).toEqual(ids([c2Type2, c1Type2, c1Type1]));
        expect(await list({ unread: false })).toEqual(ids([c1Type3Read]));
        expect(await list({ typeID: 2 })).toEqual(ids([c2Type2, c1Type2]));
        expect(await list({ typeID: 2, companyID: 'c1', unread: true })).toEqual(ids([c1Type2]));
        expect(await list({ typeID: 3, unread: true })).toEqual([]);
      });

      it("never returns another user's messages", async () => {
        const store = await open();
        const forAlice = messages(3);
        const forBob = messages(3, { receiverID: 'bob' });
        await store.insertMessages(shuffled([...forAlice, ...forBob]));

        expect(ids(await store.listMessages({ receiverID: 'alice', limit: 100 }))).toEqual(ids(forAlice).reverse());
        expect(ids(await store.listMessages({ receiverID: 'bob', limit: 100, unread: true, typeID: 1, companyID: 'c1' }))).toEqual(ids(forBob).reverse());
        expect(await store.listMessages({ receiverID: 'carol', limit: 100 })).toEqual([]);
      });
    });

    describe('counts', () => {
      it('counts exactly, far beyond 99', async () => {
        const store = await open();
        await store.insertMessages([...messages(70, { typeID: 1 }), ...messages(50, { typeID: 2 }), ...messages(30, { typeID: 3 })]);

        expect(await store.counts('alice')).toEqual(unread(70, 50, 30));
      });

      it('counts per type and per company, only unread, only this user', async () => {
        const store = await open();
        const readOne = message({ typeID: 3 });
        await store.insertMessages([
          ...messages(2, { typeID: 1 }),
          ...messages(1, { typeID: 3, companyID: 'c2' }),
          readOne,
          ...messages(4, { receiverID: 'bob' }),
        ]);
        await store.changeMessages('alice', 'read', { ids: [readOne.id] }, READ_AT);

        expect(await store.counts('alice')).toEqual(unread(2, 0, 1));
        expect(await store.counts('alice', 'c1')).toEqual(unread(2, 0, 0));
        expect(await store.counts('alice', 'c2')).toEqual(unread(0, 0, 1));
        expect(await store.counts('alice', 'c3')).toEqual(NO_COUNTS);
        expect(await store.counts('bob')).toEqual(unread(4, 0, 0));
      });
    });

    describe('changeMessages: read', () => {
      it("marks the user's own ids read, ignoring other users' ids and ids already read", async () => {
        const store = await open();
        const [a1, a2, a3] = messages(3);
        const bobs = message({ receiverID: 'bob' });
        if (!a1 || !a2 || !a3) throw new Error('three messages expected');
        await store.insertMessages([a1, a2, a3, bobs]);

        expect(await store.changeMessages('alice', 'read', { ids: [a1.id, a2.id, bobs.id] }, READ_AT)).toHaveLength(2);
        expect(await store.changeMessages('alice', 'read', { ids: [a1.id] }, '2030-01-01T00:00:00.000Z')).toHaveLength(0);

        expect(await store.listMessages({ receiverID: 'alice', limit: 10 })).toStrictEqual([
          a3,
          { ...a2, ...READ },
          { ...a1, ...READ },
        ]);
        expect(await store.listMessages({ receiverID: 'bob', limit: 10 })).toStrictEqual([bobs]);
        expect(await store.counts('alice')).toEqual(unread(1, 0, 0));
      });

      it('marks one type read', async () => {
        const store = await open();
        await store.insertMessages([...messages(3, { typeID: 2 }), ...messages(2, { typeID: 3 }), ...messages(2, { typeID: 2, receiverID: 'bob' })]);

        expect(await store.changeMessages('alice', 'read', { typeID: 2 }, READ_AT)).toHaveLength(3);
        expect(await store.changeMessages('alice', 'read', { typeID: 2 }, READ_AT)).toHaveLength(0);

        expect(await store.counts('alice')).toEqual(unread(0, 0, 2));
        expect(await store.counts('bob')).toEqual(unread(0, 2, 0));
        const read = await store.listMessages({ receiverID: 'alice', limit: 10, unread: false });
        expect(read.map((m) => [m.typeID, m.readAt])).toEqual(Array(3).fill([2, READ_AT]));
      });

      it('marks all read', async () => {
        const store = await open();
        await store.insertMessages([...messages(4), ...messages(2, { typeID: 3, companyID: 'c2' }), ...messages(1, { receiverID: 'bob' })]);

        expect(await store.changeMessages('alice', 'read', { all: true }, READ_AT)).toHaveLength(6);
        expect(await store.changeMessages('alice', 'read', { all: true }, READ_AT)).toHaveLength(0);

        expect(await store.counts('alice')).toEqual(NO_COUNTS);
        expect(await store.counts('bob')).toEqual(unread(1, 0, 0));
        const listed = await store.listMessages({ receiverID: 'alice', limit: 10 });
        expect(listed.every((m) => m.isRead && m.readAt === READ_AT)).toBe(true);
        for (const item of listed) expect(Message.parse(item)).toStrictEqual(item);
      });
    });


    describe('message states', () => {
      const AT = '2026-03-06T08:00:00.000Z';
      const list = async (store: NotificationStore, filters: Partial<Omit<MessageQuery, 'receiverID'>> = {}) =>
        ids(await store.listMessages({ receiverID: 'alice', limit: 100, ...filters }));

      it('returns from insertMessages what is stored: a new message as given, a repeated id as stored now, a deleted one not at all', async () => {
        const store = await open();
        const [read, deleted, untouched] = messages(3);
        if (!read || !deleted || !untouched) throw new Error('three messages expected');
        await store.insertMessages([read, deleted, untouched]);
        await store.changeMessages('alice', 'read', { ids: [read.id] }, READ_AT);
        await store.changeMessages('alice', 'delete', { ids: [deleted.id] }, READ_AT);
        const fresh = message();

        const stored = await store.insertMessages([read, deleted, untouched, fresh]);

        expect(stored).toStrictEqual([{ ...read, ...READ }, untouched, fresh]);
        expect(await list(store)).toEqual(ids([fresh, untouched, read]));
      });

      it('marks seen: the unseen count drops, the unread count stays, reading later keeps the first seenAt', async () => {
        const store = await open();
        const all = messages(3);
        await store.insertMessages(all);

        expect(await store.changeMessages('alice', 'seen', { all: true }, AT)).toEqual(ids(all));
        expect(await store.changeMessages('alice', 'seen', { all: true }, AT)).toEqual([]);
        expect(await store.counts('alice')).toEqual(unread(3, 0, 0, 0));

        await store.changeMessages('alice', 'read', { ids: [all[0]!.id] }, READ_AT);
        const [first] = await store.listMessages({ receiverID: 'alice', limit: 1, order: 'oldest' });
        expect(first).toStrictEqual({ ...all[0], isRead: true, readAt: READ_AT, isSeen: true, seenAt: AT });
        expect(await store.counts('alice')).toEqual(unread(2, 0, 0, 0));
      });

      it('marks unread again: readAt goes, seen stays, the unread count comes back', async () => {
        const store = await open();
        const one = message({ typeID: 2 });
        await store.insertMessages([one]);
        await store.changeMessages('alice', 'read', { all: true }, READ_AT);

        expect(await store.changeMessages('alice', 'unread', { ids: [one.id] }, AT)).toEqual([one.id]);
        expect(await store.changeMessages('alice', 'unread', { ids: [one.id] }, AT)).toEqual([]);

        expect(await store.listMessages({ receiverID: 'alice', limit: 10 })).toStrictEqual([{ ...one, isSeen: true, seenAt: READ_AT }]);
        expect(await store.counts('alice')).toEqual(unread(0, 1, 0, 0));
        expect(await list(store, { unread: true })).toEqual([one.id]);
      });

      it('archives and unarchives: archived messages leave the inbox and its counts, and come back', async () => {
        const store = await open();
        const [kept, archived] = [message({ typeID: 1 }), message({ typeID: 3 })];
        await store.insertMessages([kept, archived]);

        expect(await store.changeMessages('alice', 'archive', { ids: [archived.id] }, AT)).toEqual([archived.id]);

        expect(await list(store, { archived: false })).toEqual([kept.id]);
        expect(await store.listMessages({ receiverID: 'alice', limit: 10, archived: true })).toStrictEqual([
          { ...archived, isArchived: true, archivedAt: AT },
        ]);
        expect(await list(store)).toEqual(ids([archived, kept]));
        expect(await store.counts('alice')).toEqual(unread(1, 0, 0));
        // Reading an archived message changes it, and the inbox counts not at all.
        await store.changeMessages('alice', 'read', { all: true }, READ_AT);
        expect(await store.counts('alice')).toEqual(NO_COUNTS);
        await store.changeMessages('alice', 'unread', { ids: [archived.id] }, AT);
        expect(await store.counts('alice')).toEqual(NO_COUNTS);

        expect(await store.changeMessages('alice', 'unarchive', { all: true }, AT)).toEqual([archived.id]);
        expect(await store.listMessages({ receiverID: 'alice', limit: 10, archived: false })).toStrictEqual([
          { ...archived, isSeen: true, seenAt: READ_AT },
          { ...kept, ...READ },
        ]);
        expect(await store.counts('alice')).toEqual(unread(0, 0, 1, 0));
      });

      it('deletes for good: gone from every list and count, never changed again, not brought back by a retried insert', async () => {
        const store = await open();
        const [gone, stays] = [message({ typeID: 2 }), message({ typeID: 2 })];
        await store.insertMessages([gone, stays]);

        expect(await store.changeMessages('alice', 'delete', { ids: [gone.id] }, AT)).toEqual([gone.id]);
        expect(await store.changeMessages('alice', 'delete', { ids: [gone.id] }, AT)).toEqual([]);

        for (const filters of [{}, { archived: false }, { archived: true }, { unread: true }, { typeID: 2 as const }, { companyID: 'c1' }]) {
          expect(await list(store, filters)).not.toContain(gone.id);
        }
        expect(await store.counts('alice')).toEqual(unread(0, 1, 0));
        for (const change of ['seen', 'read', 'unread', 'archive', 'unarchive'] as const) {
          expect(await store.changeMessages('alice', change, { ids: [gone.id] }, AT)).toEqual([]);
        }
        expect(await store.insertMessages([gone])).toEqual([]);
        expect(await list(store)).toEqual([stays.id]);
        expect(await store.counts('alice')).toEqual(unread(0, 1, 0));
      });

      it('applies a change to everything up to and including an id', async () => {
        const store = await open();
        const all = messages(5);
        await store.insertMessages(shuffled(all));

        expect(await store.changeMessages('alice', 'seen', { upTo: all[2]!.id }, AT)).toEqual(ids(all.slice(0, 3)));
        expect(await store.counts('alice')).toEqual(unread(5, 0, 0, 2));
        expect(await store.changeMessages('alice', 'read', { upTo: all[3]!.id }, AT)).toEqual(ids(all.slice(0, 4)));
        expect(await store.counts('alice')).toEqual(unread(1, 0, 0, 1));
      });

      it("changes only the user's own messages, whatever ids are named", async () => {
        const store = await open();
        const alices = message();
        const bobs = message({ receiverID: 'bob' });
        await store.insertMessages([alices, bobs]);

        for (const change of ['seen', 'read', 'archive', 'delete'] as const) {
          expect(await store.changeMessages('alice', change, { ids: [bobs.id] }, AT)).toEqual([]);
        }
        expect(await store.listMessages({ receiverID: 'bob', limit: 10 })).toStrictEqual([bobs]);
        expect(await store.counts('bob')).toEqual(unread(1, 0, 0));
      });

      it('counts unseen per company like unread', async () => {
        const store = await open();
        await store.insertMessages([...messages(2), ...messages(3, { companyID: 'c2', typeID: 3 })]);
        await store.changeMessages('alice', 'seen', { typeID: 1 }, AT);

        expect(await store.counts('alice')).toEqual(unread(2, 0, 3, 3));
        expect(await store.counts('alice', 'c1')).toEqual(unread(2, 0, 0, 0));
        expect(await store.counts('alice', 'c2')).toEqual(unread(0, 0, 3, 3));
      });
    });

    describe('dynamics', () => {
      it("lists one company's dynamics newest first, never another company's, paging with before", async () => {
        const store = await open();
        const company7 = Array.from({ length: 12 }, () => dynamic({ companyID: '7' }));
        const company8 = Array.from({ length: 3 }, () => dynamic({ companyID: '8' }));
        await store.insertDynamics(shuffled([...company7, ...company8]));

        const first = await store.listCompanyDynamics({ companyID: '7', limit: 5 });
        const second = await store.listCompanyDynamics({ companyID: '7', limit: 5, before: first.at(-1)?.id });
        const third = await store.listCompanyDynamics({ companyID: '7', limit: 5, before: second.at(-1)?.id });

        expect(ids([...first, ...second, ...third])).toEqual(ids(company7).reverse());
        expect(await store.listCompanyDynamics({ companyID: '8', limit: 100 })).toStrictEqual(newestFirst(company8));
      });

      it("lists one object's log, by type and id, optionally within one company", async () => {
        const store = await open();
        const task1InC1 = [dynamic({ objectType: 'task', objectID: '1' }), dynamic({ objectType: 'task', objectID: '1' })];
        const task1InC2 = dynamic({ objectType: 'task', objectID: '1', companyID: 'c2' });
        const doc1 = dynamic({ objectType: 'doc', objectID: '1' });
        const task2 = dynamic({ objectType: 'task', objectID: '2' });
        await store.insertDynamics(shuffled([...task1InC1, task1InC2, doc1, task2, dynamic()]));

        expect(await store.listObjectLogs({ objectType: 'task', objectID: '1', limit: 10 })).toStrictEqual(newestFirst([...task1InC1, task1InC2]));
        expect(await store.listObjectLogs({ objectType: 'task', objectID: '1', companyID: 'c1', limit: 10 })).toStrictEqual(newestFirst(task1InC1));
        expect(await store.listObjectLogs({ objectType: 'doc', objectID: '1', limit: 10 })).toStrictEqual([doc1]);
        expect(await store.listObjectLogs({ objectType: 'task', objectID: '1', companyID: 'c3', limit: 10 })).toEqual([]);
      });

      it('reads dynamics and object logs forward with after and order, and from an id on with atOrAfter', async () => {
        const store = await open();
        const feed = Array.from({ length: 6 }, () => dynamic({ objectType: 'task', objectID: 't1' }));
        await store.insertDynamics(shuffled(feed));

        expect(ids(await store.listCompanyDynamics({ companyID: 'c1', limit: 2, after: feed[0]!.id, order: 'oldest' }))).toEqual(ids(feed.slice(1, 3)));
        expect(ids(await store.listCompanyDynamics({ companyID: 'c1', limit: 10, atOrAfter: feed[4]!.id }))).toEqual(ids(feed.slice(4)).reverse());
        expect(ids(await store.listObjectLogs({ objectType: 'task', objectID: 't1', limit: 3, after: feed[2]!.id }))).toEqual(ids(feed.slice(3)).reverse());
      });

      it("pages one object's log with before", async () => {
        const store = await open();
        const log = Array.from({ length: 7 }, () => dynamic({ objectType: 'task', objectID: '9' }));
        await store.insertDynamics(shuffled(log));

        const first = await store.listObjectLogs({ objectType: 'task', objectID: '9', limit: 4 });
        const second = await store.listObjectLogs({ objectType: 'task', objectID: '9', limit: 4, before: first.at(-1)?.id });
        const rest = await store.listObjectLogs({ objectType: 'task', objectID: '9', limit: 4, before: second.at(-1)?.id });

        expect([first.length, second.length, rest.length]).toEqual([4, 3, 0]);
        expect(ids([...first, ...second])).toEqual(ids(log).reverse());
      });
    });

    describe('retention', () => {
      it.skipIf(capAppliedLater !== undefined)(`keeps the newest messages up to the cap and drops the oldest first${capNote}`, async () => {
        const store = await open(5);
        const all = messages(8);
        for (const one of all) await store.insertMessages([one]);

        expect(await store.listMessages({ receiverID: 'alice', limit: 100 })).toStrictEqual(newestFirst(all.slice(3)));
        expect(await store.counts('alice')).toEqual(unread(5, 0, 0));
      });

      it.skipIf(capAppliedLater !== undefined)(`counts exactly what is left when the cap drops whole earlier hours and part of one${capNote}`, async () => {
        const store = await open(5);
        // 2 messages two hours ago (dropped), 3 an hour ago (1 dropped), 3 now.
        const all = testMessagesAcrossHours([2, 3, 3]);
        expect(hoursBetween(all[0] as Message, all.at(-1) as Message)).toBe(2);
        for (const one of all) await store.insertMessages([one]);

        expect(ids(await store.listMessages({ receiverID: 'alice', limit: 100 }))).toEqual(ids(newestFirst(all.slice(3))));
        expect(await store.counts('alice')).toEqual(unread(5, 0, 0));
        await store.changeMessages('alice', 'read', { ids: [all[3]?.id as string] }, READ_AT);
        expect(await store.counts('alice')).toEqual(unread(4, 0, 0));
      });

      it.skipIf(capAppliedLater !== undefined)(`applies the cap to the whole store, across users, also within one batch${capNote}`, async () => {
        const store = await open(5);
        const alices = messages(3);
        const bobs = messages(4, { receiverID: 'bob', typeID: 2 });
        await store.insertMessages([...alices, ...bobs]);

        expect(ids(await store.listMessages({ receiverID: 'alice', limit: 100 }))).toEqual(ids(alices.slice(2)));
        expect(await store.counts('alice')).toEqual(unread(1, 0, 0));
        expect(await store.counts('bob')).toEqual(unread(0, 4, 0));
      });
    });

    describe('lifecycle', () => {
      it('answers ping', async () => {
        const store = await open();
        await expect(store.ping()).resolves.toBeUndefined();
      });

      it('can be closed more than once', async () => {
        const store = await open();
        await store.close();
        await expect(store.close()).resolves.toBeUndefined();
      });
    });
  });
}
