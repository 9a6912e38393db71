import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ApiErrorBody } from '@notify/contracts';
import { openPage, useInProcessStack, type Page } from '@notify/testing';

// Hostile input on sockets: every malformed event gets an error ack or a disconnect, never a
// success, and the gateways carry on serving everybody else. The one home of these tests.

type Reaction = { ack: unknown } | { disconnected: string };

/**
 * Emits `event` with `args` as they are (the typed event map does not apply: hostile on purpose) and
 * an ack callback, and resolves with whichever comes first: the ack, or the socket being dropped.
 */
function react(page: Page, event: string, args: unknown[], timeoutMs = 5000): Promise<Reaction> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`neither an ack nor a disconnect for "${event}" within ${timeoutMs} ms`)), timeoutMs);
    const done = (reaction: Reaction) => {
      clearTimeout(timer);
      resolve(reaction);
    };
    page.waitForDisconnect(timeoutMs).then((reason) => done({ disconnected: reason }), () => undefined);
    (page.socket as unknown as { emit: (...a: unknown[]) => void }).emit(event, ...args, (ack: unknown) => done({ ack }));
  });
}

/** Writes raw socket.io packets (text or binary) straight onto the engine.io connection. */
function writeRaw(page: Page, ...packets: (string | Uint8Array)[]): void {
  const engine = (page.socket.io as unknown as { engine: { write(data: string | Uint8Array): void } }).engine;
  for (const packet of packets) engine.write(packet);
}

/** An error ack (any code) or a disconnect: the two acceptable answers to a malformed event. */
const refused = (reaction: Reaction) => 'disconnected' in reaction || ApiErrorBody.safeParse(reaction.ack).success;
const codeOf = (reaction: Reaction) =>
  'ack' in reaction ? (reaction.ack as { error?: { code?: string } }).error?.code : `disconnected (${reaction.disconnected})`;

describe('hostile socket events', () => {
  const stack = useInProcessStack({ env: { LOGIN_TIMEOUT_MS: '3000' }, logLevel: 'warn' });
  let gateway: string;

  beforeAll(async () => {
    gateway = stack().gatewayUrls[0] as string;
    // Gateway 1 accepts 5 MB socket messages, so 10^5 ids reach the parser instead of the size limit.
    await stack().addGateway({ SOCKET_MAX_BYTES: '5000000' });
  });
  afterAll(async () => {
    // Refusing bad input is routine: nothing here may reach a handler's error path (pino level 50+).
    expect(stack().logs.of('gateway').filter((line) => line.level >= 50)).toEqual([]);
    // Both gateways are still ready and delivering.
    for (const [n, url] of stack().gatewayUrls.entries()) {
      expect((await fetch(`${url}/readyz`)).status).toBe(200);
      const page = await stack().page(99, 7, { gateway: n });
      const sent = await stack().client.sendMessage({ companyID: 7, receiverID: 99, typeID: 1, title: 'still here', content: url });
      await page.waitFor('new_msg', (message) => message.id === sent.body.ids[0], 10_000);
      page.close();
    }
  });

  const raw = (url = gateway) => openPage(url, { raw: true });
  const authed = (uid: string | number, companyID: string | number = 'hostile', gatewayIndex = 0) => stack().page(uid, companyID, { gateway: gatewayIndex });

  /** The first gateway still serves: ready, and a page of a bystander gets a new message. */
  const gatewayServes = async () => {
    expect((await fetch(`${gateway}/readyz`)).status).toBe(200);
    const bystander = await stack().page('bystander', 7);
    const sent = await stack().client.sendMessage({ companyID: 7, receiverID: 'bystander', typeID: 1, title: 'still here', content: '' });
    expect(sent.status).toBe(202);
    await bystander.waitFor('new_msg', (m) => m.id === sent.body.ids[0], 10_000);
  };

  const deep = (levels: number): unknown => JSON.parse(`${'['.repeat(levels)}${']'.repeat(levels)}`);
  const loginPayloads: [string, unknown[]][] = [
    ['no payload', []],
    ['null', [null]],
    ['a number', [42]],
    ['a string', ['uid=1&companyID=7']],
    ['an empty array', [[]]],
    ['an array', [[1, 7, 'token']]],
    ['an array holding the fields', [[{ uid: 1, companyID: 7 }]]],
    ['an empty object', [{}]],
    ['nested arrays', [[[[[]]]]]],
    ['uid as object', [{ uid: { toString: 'x' }, companyID: 7, token: 'x' }]],
    ['uid as NoSQL operator', [{ uid: { $gt: '' }, companyID: { $ne: null }, token: 'x' }]],
    ['uid as array, companyID as object', [{ uid: [1], companyID: {}, token: 'x' }]],
    ['fractional and negative ids', [{ uid: 1.5, companyID: -1 }]],
    ['token as object', [{ uid: 1, companyID: 7, token: { alg: 'none' } }]],
    ['token as NoSQL operator', [{ uid: 1, companyID: 7, token: { $ne: null } }]],
    ['token as array', [{ uid: 1, companyID: 7, token: ['a', 'b'] }]],
    ['huge uid (90 kB)', [{ uid: 'x'.repeat(90_000), companyID: 7, token: 'x' }]],
    ['huge token (90 kB)', [{ uid: 1, companyID: 7, token: 'x'.repeat(90_000) }]],
    ['deeply nested (200 levels)', [{ uid: deep(200), companyID: 7 }]],
    ['deeply nested (2,000 levels)', [{ uid: deep(2000), companyID: deep(2000) }]],
    ['pollution keys', [JSON.parse('{"__proto__":{"isAdmin":true},"constructor":{"prototype":{"uid":"2"}},"uid":1,"companyID":7}')]],
    ['unicode uid', [{ uid: '1\u202e', companyID: 7, token: 'x' }]],
    ['NUL and RTL override', [{ uid: '1\u0000', companyID: '7\u202e' }]],
    ['lone surrogate uid', [{ uid: '\ud800', companyID: 7, token: 'x' }]],
    ['binary payload', [new Uint8Array(1000).fill(0xff)]],
    ['binary token', [{ uid: 1, companyID: 7, token: new Uint8Array([1, 2, 3]) }]],
    ['since not a record id', [{ uid: 1, companyID: 7, token: 'x', since: { $gt: '' } }]],
  ];

  it.each(loginPayloads)('login with %s is refused, and the page gets nothing of the user it names', async (_name, args) => {
    // The user most payloads name (uid 1 of company 7), legitimately online: messages for them flow.
    const legitimate = await authed(1, 7);
    const page = await raw();
    const reaction = await react(page, 'login', args);
    expect(refused(reaction), JSON.stringify(reaction).slice(0, 300)).toBe(true);
    const sent = await stack().client.sendMessage({ companyID: 7, receiverID: 1, typeID: 1, title: 'not for the hostile page', content: '' });
    await legitimate.waitFor('new_msg', (m) => m.id === sent.body.ids[0], 10_000);
    // Flush: whatever the page is still able to be answered, it is answered after that message went out.
    if (page.socket.connected) await react(page, 'read', [{ all: true }]);
    expect(page.events('new_msg')).toEqual([]);
  });

  it('answers malformed logins on a valid-looking handshake with invalid_input', async () => {
    for (const payload of [{ uid: { $gt: '' }, companyID: 7 }, { uid: 1, companyID: 7, token: await stack().token(1, 7), since: { $gt: '' } }]) {
      expect(codeOf(await react(await raw(), 'login', [payload]))).toBe('invalid_input');
    }
  });

  it('drops a socket whose login is over SOCKET_MAX_BYTES (200 kB)', async () => {
    expect(await react(await raw(), 'login', [{ uid: 1, companyID: 7, token: 'x'.repeat(200_000) }])).toHaveProperty('disconnected');
  });

  it('refuses read with 10^5 ids: dropped at the size limit, or answered invalid_input by a gateway that lets it in', async () => {
    const ids = Array.from({ length: 100_000 }, (_, i) => `01K${String(i).padStart(23, '0')}`);
    expect(await react(await authed('reader-1'), 'read', [{ ids }])).toHaveProperty('disconnected');
    const roomyPage = await authed('reader-2', 'hostile', 1);
    expect(await react(roomyPage, 'read', [{ ids }])).toMatchObject({ ack: { error: { code: 'invalid_input' } } });
    expect(await react(roomyPage, 'read', [{ ids: ids.slice(0, 1001) }])).toMatchObject({ ack: { error: { code: 'invalid_input' } } });
    // Thousands of problems in one payload come back as a short list, not an ack bigger than the payload.
    const noisy = await react(roomyPage, 'read', [Object.fromEntries(Array.from({ length: 5000 }, (_, i) => [`k${i}`, i]))]);
    expect(noisy).toMatchObject({ ack: { error: { code: 'invalid_input' } } });
    expect((noisy as { ack: ApiErrorBody }).ack.error.issues?.length).toBeLessThanOrEqual(20);
    expect(await roomyPage.emitWithAck('read', { ids: ids.slice(0, 3) })).toEqual({ updated: 0 });
  });

  const readPayloads: [string, unknown[]][] = [
    ['no payload', []],
    ['ids as a string', [{ ids: '01J00000000000000000000000' }]],
    ['ids of numbers', [{ ids: [1, 2, 3] }]],
    ['ids as NoSQL operator', [{ ids: { $in: [] } }]],
    ['ids with SQL', [{ ids: ["' OR 1=1 --"] }]],
    ['ids and all', [{ ids: ['01J00000000000000000000000'], all: true }]],
    ['all false', [{ all: false }]],
    ['typeID 9', [{ typeID: 9 }]],
    ['uid of somebody else', [{ all: true, uid: '2' }]],
    ['binary ids', [{ ids: [new Uint8Array(26)] }]],
    ['pollution keys', [JSON.parse('{"__proto__":{"all":true}}')]],
  ];

  it.each(readPayloads)('read with %s gets invalid_input', async (_name, args) => {
    expect(await react(await authed('reader-3'), 'read', args)).toMatchObject({ ack: { error: { code: 'invalid_input' } } });
  });

  it('answers an event sent with extra arguments before the ack as if they were not there', async () => {
    const page = await authed(3, 7);
    expect(await react(page, 'read', [{ all: true }, 'extra', 42])).toEqual({ ack: { updated: 0 } });
    expect(await react(page, 'login', [{ uid: 3, companyID: 7 }, { more: true }])).toEqual({ ack: { uid: '3', companyID: '7' } });
  });

  it('answers read before login with unauthorized', async () => {
    expect(await react(await raw(), 'read', [{ all: true }])).toMatchObject({ ack: { error: { code: 'unauthorized' } } });
  });

  it('neither crashes nor logs in on a 30,000-level nested payload written raw', async () => {
    const page = await raw();
    const nested = `${'['.repeat(30_000)}${']'.repeat(30_000)}`;
    writeRaw(page, `42["login",{"uid":${nested},"companyID":7}]`, `42["read",${nested}]`);
    // Either still connected and still not logged in, or dropped: both are fine; a crash is not.
    if (page.socket.connected) {
      const reaction = await react(page, 'read', [{ all: true }]);
      if ('ack' in reaction) expect(reaction.ack).toMatchObject({ error: { code: 'unauthorized' } });
    }
    await gatewayServes();
  });

  it('changes nothing for unknown and reserved event names, and drops a socket for reserved names, broken packets and bad attachments', async () => {
    const page = await authed('odd-events');
    const emitter = page.socket as unknown as { emit: (...a: unknown[]) => void };
    for (const name of ['admin', '__proto__', 'constructor', 'toString', 'hasOwnProperty', 'new_msg', 'update_online_count']) {
      emitter.emit(name, { uid: 2, all: true });
    }
    // Still connected and still logged in as itself: a read still answers.
    expect(await react(page, 'read', [{ all: true }])).toEqual({ ack: { updated: 0 } });

    for (const name of ['error', 'connect', 'connect_error', 'disconnect', 'disconnecting', 'newListener', 'removeListener', 'x'.repeat(50_000)]) {
      const odd = await authed('odd-names');
      writeRaw(odd, `42${JSON.stringify([name, { all: true }])}`);
      // A packet after it is answered, or the socket was dropped: the odd one has been handled either way.
      const after = await react(odd, 'read', [{ all: true }]);
      if ('ack' in after) expect(after.ack).toEqual({ updated: 0 });
      odd.close();
    }

    const packets: [string, (string | Uint8Array)[]][] = [
      ['reserved "disconnect"', ['42["disconnect","forged"]']],
      ['reserved "connect"', ['42["connect"]']],
      ['broken JSON', ['42["login",{']],
      ['unknown packet type', ['9']],
      ['placeholder pointing at __proto__', ['451-["read",{"_placeholder":true,"num":"__proto__"}]', new Uint8Array([1])]],
      ['placeholder out of range', ['451-["login",{"_placeholder":true,"num":99}]', new Uint8Array([1])]],
      ['binary data with no packet', [new Uint8Array([0xde, 0xad])]],
    ];
    for (const [name, frames] of packets) {
      const victim = await authed(`raw-${name.replaceAll(/\W/g, '')}`);
      writeRaw(victim, ...frames);
      const reason = await victim.waitForDisconnect(5000).catch(() => 'still connected');
      expect(reason, name).not.toBe('still connected');
    }
    // Odd packets that engine.io frames differently: each is answered or dropped, never a crash.
    for (const packet of ['2["read"', '2{}', '2[]', '2[1,2]', '2-["read"]', `5${'9'.repeat(30)}-["read",{"_placeholder":true,"num":0}]`, '2/../../["read",{"all":true}]']) {
      const odd = await authed('odd-packets');
      (odd.socket.io as unknown as { engine: { send(data: string): void } }).engine.send(packet);
      const after = await react(odd, 'read', [{ all: true }]);
      if ('ack' in after) expect(after.ack).toMatchObject({ updated: expect.any(Number) });
      odd.close();
    }
    await gatewayServes();
  });

  it('does not count a connected user as offline for a forged "disconnect" of another socket', async () => {
    const stays = await authed('presence-stays', 'presence-co');
    const forger = await authed('presence-forger', 'presence-co');
    await stays.waitFor('update_online_count', (n) => n === 2);
    // The forger's socket is dropped for the reserved name; its user goes offline, the other stays.
    writeRaw(forger, '42["disconnect"]');
    await forger.waitForDisconnect(5000);
    await stays.waitFor('update_online_count', (n) => n === 1);
    expect((await stack().client.request('GET', '/v1/companies/presence-co/online')).body).toEqual({ count: 1, uids: ['presence-stays'] });
  });

  it('refuses handshakes with malformed auth as unauthorized', async () => {
    for (const token of [{ $ne: null }, 'x'.repeat(90_000), ['a'], null, 42, '']) {
      // Typed as a string by openPage; what goes over the wire is whatever this is.
      const refusal = await openPage(gateway, { token: token as string }).then(() => 'connected', (error: Error) => error.message);
      expect(refusal, JSON.stringify(token).slice(0, 60)).toBe('unauthorized');
    }
  });

  it('lets one of many concurrent logins through, counting the user once', async () => {
    const page = await raw();
    const payload = { uid: 5, companyID: 70, token: await stack().token(5, 70) };
    // Fewer than SOCKET_EVENT_BURST, so every one reaches the login handler.
    const acks = await Promise.all(Array.from({ length: 40 }, () => page.emitWithAck('login', payload)));
    const refusedAcks = acks.filter((ack) => 'error' in ack);
    expect(acks.length - refusedAcks.length).toBeGreaterThanOrEqual(1);
    for (const ack of refusedAcks) expect(ack).toMatchObject({ error: { code: 'invalid_input' } });
    // The login's own count, and maybe the company room's broadcast of the same change.
    expect(page.events('update_online_count')).toContain(1);
    expect(page.events('update_online_count').every((count) => count === 1)).toBe(true);
    expect((await stack().client.request('GET', '/v1/companies/70/online')).body).toEqual({ count: 1, uids: ['5'] });
  });

  it('sends update_online_count right after login, by token or by login event, also when the count did not change', async () => {
    const first = await stack().page(1, 71);
    expect(await first.waitFor('update_online_count')).toBe(1);
    const older = await openPage(gateway, { login: { uid: 2, companyID: 71, token: await stack().token(2, 71) } });
    // Sent before the login ack, so it is there as soon as the page counts as open.
    expect(older.events('update_online_count')).toContain(2);
    expect(older.events('update_online_count').every((count) => count === 2)).toBe(true);
    await first.waitFor('update_online_count', (count) => count === 2);
    // A second tab, on the other gateway, changes nobody's count, so there is no broadcast: the tab still hears the count.
    const secondTab = await stack().page(1, 71, { gateway: 1 });
    // One unread_count per login, whatever order it and the count arrive in (the count goes out the
    // moment presence answers, which on a Redis Cluster may be before the unread counts are read).
    const [count] = await Promise.all([secondTab.waitFor('update_online_count'), secondTab.waitFor('unread_count')]);
    expect(count).toBe(2);
    expect(secondTab.events('unread_count')).toHaveLength(1);
  });

  it('answers every one of 5,000 malformed events in a burst with an error ack, or drops the socket; others unaffected', async () => {
    const page = await authed('flooder');
    const emitter = page.socket as unknown as { emit: (...a: unknown[]) => void };
    const burst = 5000;
    let acks = 0;
    let successes = 0;
    for (let n = 0; n < burst; n++) {
      const [event, payload] = n % 2 === 0 ? ['read', { ids: `bad-${n}` }] : ['login', { uid: { n }, companyID: [] }];
      emitter.emit(event, payload, (ack: unknown) => {
        acks += 1;
        if (!ApiErrorBody.safeParse(ack).success) successes += 1;
      });
    }
    // While the flood is being worked through, a message to the bystander still arrives.
    await gatewayServes();
    await page.waitForDisconnect(10_000).catch(async () => {
      // Not dropped: then every event was answered.
      await new Promise<void>((resolve) => page.socket.timeout(10_000).emit('read', { all: true }, () => resolve()));
      expect(acks).toBe(burst);
    });
    expect(successes).toBe(0);
  });

  it('drops a socket that never logs in, and the gateway is still up after everything', async () => {
    const idle = await raw();
    await idle.waitForDisconnect(10_000);
    await gatewayServes();
  });
});
