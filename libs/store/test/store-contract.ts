import { afterEach, describe, expect, it } from 'vitest';
import { Dynamic, Message, NO_UNREAD } from '@notify/contracts';
import type { NotificationStore } from '../src/notification-store.js';
import { TEST_DATE as DATE, testDynamic as dynamic, testMessage as message, testMessages as messages } from './test-records.js';

/** Makes a fresh, empty store; `messagesCapDocs` is its message cap. */
export type CreateStore = (options: { messagesCapDocs: number }) => Promise<NotificationStore>;

const READ_AT = '2026-03-05T10:00:00.000Z';

const ids = (records: readonly { id: string }[]) => records.map((record) => record.id);
const newestFirst = <T extends { id: string }>(records: readonly T[]) => [...records].sort((a, b) => (a.id < b.id ? 1 : -1));
/** A shuffled copy, so that tests prove order by id rather than by insertion. */
const shuffled = <T>(items: readonly T[]) => [...items].sort(() => Math.random() - 0.5);
const unread = (one: number, two: number, three: number) => ({ total: one + two + three, byType: { '1': one, '2': two, '3': three } });

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
export function runStoreContract(name: string, createStore: CreateStore): void {
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
        expect(await store.unreadCount('alice')).toEqual(NO_UNREAD);
        expect(await store.listCompanyDynamics({ companyID: 'c1', limit: 10 })).toEqual([]);
        expect(await store.listObjectLogs({ objectType: 'task', objectID: 't1', limit: 10 })).toEqual([]);
        expect(await store.markRead('alice', { all: true }, READ_AT)).toBe(0);
      });
    });

    describe('idempotent inserts', () => {
      it('keeps one message when an id is inserted twice in a batch or across batches', async () => {
        const store = await open();
        const first = message();
        await store.insertMessages([first, { ...first, title: 'changed' }]);
        await store.insertMessages([{ ...first, title: 'changed again' }]);

        expect(await store.listMessages({ receiverID: 'alice', limit: 10 })).toStrictEqual([first]);
        expect(await store.unreadCount('alice')).toEqual(unread(1, 0, 0));
      });

      it('keeps a message read when its job is retried after it was read', async () => {
        const store = await open();
        const original = message();
        await store.insertMessages([original]);
        await store.markRead('alice', { ids: [original.id] }, READ_AT);
        await store.insertMessages([original]);

        expect(await store.listMessages({ receiverID: 'alice', limit: 10 })).toStrictEqual([{ ...original, isRead: true, readAt: READ_AT }]);
        expect(await store.unreadCount('alice')).toEqual(NO_UNREAD);
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

      it('filters by companyID, read state and typeID', async () => {
        const store = await open();
        const c1Type1 = message({ typeID: 1 });
        const c1Type2 = message({ typeID: 2 });
        const c1Type3Read = message({ typeID: 3 });
        const c2Type2 = message({ typeID: 2, companyID: 'c2' });
        await store.insertMessages([c1Type1, c1Type2, c1Type3Read, c2Type2]);
        await store.markRead('alice', { ids: [c1Type3Read.id] }, READ_AT);
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

    describe('unreadCount', () => {
      it('counts exactly, far beyond 99', async () => {
        const store = await open();
        await store.insertMessages([...messages(70, { typeID: 1 }), ...messages(50, { typeID: 2 }), ...messages(30, { typeID: 3 })]);

        expect(await store.unreadCount('alice')).toEqual(unread(70, 50, 30));
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
        await store.markRead('alice', { ids: [readOne.id] }, READ_AT);

        expect(await store.unreadCount('alice')).toEqual(unread(2, 0, 1));
        expect(await store.unreadCount('alice', 'c1')).toEqual(unread(2, 0, 0));
        expect(await store.unreadCount('alice', 'c2')).toEqual(unread(0, 0, 1));
        expect(await store.unreadCount('alice', 'c3')).toEqual(NO_UNREAD);
        expect(await store.unreadCount('bob')).toEqual(unread(4, 0, 0));
      });
    });

    describe('markRead', () => {
      it("marks the user's own ids read, ignoring other users' ids and ids already read", async () => {
        const store = await open();
        const [a1, a2, a3] = messages(3);
        const bobs = message({ receiverID: 'bob' });
        if (!a1 || !a2 || !a3) throw new Error('three messages expected');
        await store.insertMessages([a1, a2, a3, bobs]);

        expect(await store.markRead('alice', { ids: [a1.id, a2.id, bobs.id] }, READ_AT)).toBe(2);
        expect(await store.markRead('alice', { ids: [a1.id] }, '2030-01-01T00:00:00.000Z')).toBe(0);

        expect(await store.listMessages({ receiverID: 'alice', limit: 10 })).toStrictEqual([
          a3,
          { ...a2, isRead: true, readAt: READ_AT },
          { ...a1, isRead: true, readAt: READ_AT },
        ]);
        expect(await store.listMessages({ receiverID: 'bob', limit: 10 })).toStrictEqual([bobs]);
        expect(await store.unreadCount('alice')).toEqual(unread(1, 0, 0));
      });

      it('marks one type read', async () => {
        const store = await open();
        await store.insertMessages([...messages(3, { typeID: 2 }), ...messages(2, { typeID: 3 }), ...messages(2, { typeID: 2, receiverID: 'bob' })]);

        expect(await store.markRead('alice', { typeID: 2 }, READ_AT)).toBe(3);
        expect(await store.markRead('alice', { typeID: 2 }, READ_AT)).toBe(0);

        expect(await store.unreadCount('alice')).toEqual(unread(0, 0, 2));
        expect(await store.unreadCount('bob')).toEqual(unread(0, 2, 0));
        const read = await store.listMessages({ receiverID: 'alice', limit: 10, unread: false });
        expect(read.map((m) => [m.typeID, m.readAt])).toEqual(Array(3).fill([2, READ_AT]));
      });

      it('marks all read', async () => {
        const store = await open();
        await store.insertMessages([...messages(4), ...messages(2, { typeID: 3, companyID: 'c2' }), ...messages(1, { receiverID: 'bob' })]);

        expect(await store.markRead('alice', { all: true }, READ_AT)).toBe(6);
        expect(await store.markRead('alice', { all: true }, READ_AT)).toBe(0);

        expect(await store.unreadCount('alice')).toEqual(NO_UNREAD);
        expect(await store.unreadCount('bob')).toEqual(unread(1, 0, 0));
        const listed = await store.listMessages({ receiverID: 'alice', limit: 10 });
        expect(listed.every((m) => m.isRead && m.readAt === READ_AT)).toBe(true);
        for (const item of listed) expect(Message.parse(item)).toStrictEqual(item);
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
      it('keeps the newest messages up to the cap and drops the oldest first', async () => {
        const store = await open(5);
        const all = messages(8);
        for (const one of all) await store.insertMessages([one]);

        expect(await store.listMessages({ receiverID: 'alice', limit: 100 })).toStrictEqual(newestFirst(all.slice(3)));
        expect(await store.unreadCount('alice')).toEqual(unread(5, 0, 0));
      });

      it('applies the cap to the whole store, across users, also within one batch', async () => {
        const store = await open(5);
        const alices = messages(3);
        const bobs = messages(4, { receiverID: 'bob', typeID: 2 });
        await store.insertMessages([...alices, ...bobs]);

        expect(ids(await store.listMessages({ receiverID: 'alice', limit: 100 }))).toEqual(ids(alices.slice(2)));
        expect(await store.unreadCount('alice')).toEqual(unread(1, 0, 0));
        expect(await store.unreadCount('bob')).toEqual(unread(0, 4, 0));
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
