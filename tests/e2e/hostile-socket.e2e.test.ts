import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { ApiErrorBody } from '@notify/contracts';
import { type ApiClient, closeAllPages, openPage, startStack, type Page, type Stack } from '@notify/testing';

// Malformed socket events (issue 4, hostile input): each gets an error ack or a disconnect, never
// a success, and the gateway carries on serving everybody else.

type Reaction = { ack: unknown } | { disconnected: string };

/**
 * Emits `event` with `args` and an ack callback, and resolves with whichever comes first: the ack,
 * or the socket being disconnected. Neither within `timeoutMs` rejects.
 */
function react(page: Page, event: string, args: unknown[], timeoutMs = 5000): Promise<Reaction> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`neither an ack nor a disconnect for "${event}" within ${timeoutMs} ms`)), timeoutMs);
    const done = (reaction: Reaction) => {
      clearTimeout(timer);
      resolve(reaction);
    };
    page.waitForDisconnect(timeoutMs).then((reason) => done({ disconnected: reason }), () => undefined);
    // Payloads are hostile on purpose, so the typed event map does not apply.
    (page.socket as unknown as { emit: (...a: unknown[]) => void }).emit(event, ...args, (ack: unknown) => done({ ack }));
  });
}

/** Writes a raw socket.io packet (text or binary) straight onto the engine.io connection. */
function writeRaw(page: Page, ...packets: (string | Uint8Array)[]): void {
  const engine = (page.socket.io as unknown as { engine: { write(data: string | Uint8Array): void } }).engine;
  for (const packet of packets) engine.write(packet);
}

/** An error ack (any code) or a disconnect: the two acceptable answers to a malformed event. */
const refused = (reaction: Reaction) =>
  'disconnected' in reaction || ApiErrorBody.safeParse((reaction as { ack: unknown }).ack).success;

describe('malformed socket events', () => {
  let stack: Stack;
  let api: ApiClient;
  let gateway: string;
  let bystander: Page;

  beforeAll(async () => {
    stack = await startStack({ env: { LOGIN_TIMEOUT_MS: '3000' } });
    api = stack.client;
    gateway = stack.gatewayUrls[0] as string;
  });
  afterEach(() => {
    // The bystander lives for the whole file; everything else is closed after each test.
    for (const page of openedHere.splice(0)) page.close();
  });
  afterAll(async () => {
    closeAllPages();
    await stack?.stop();
  });

  const openedHere: Page[] = [];
  const raw = async () => {
    const page = await openPage(gateway, { raw: true });
    openedHere.push(page);
    return page;
  };
  const authed = async (uid: string, companyID = 'hostile') => {
    const page = await openPage(gateway, { token: await api.mintToken(uid, companyID) });
    openedHere.push(page);
    return page;
  };

  /** The gateway still serves: ready, and the bystander page gets a new message. */
  const gatewayServes = async () => {
    expect((await fetch(`${gateway}/readyz`)).status).toBe(200);
    const sent = await api.sendMessage({ companyID: 7, receiverID: 'bystander', typeID: 1, title: 'still here', content: '' });
    expect(sent.status).toBe(202);
    await bystander.waitFor('new_msg', (m) => m.id === sent.body.ids[0], 10_000);
  };

  it('opens a bystander page that must keep working through everything below', async () => {
    bystander = await openPage(gateway, { token: await api.mintToken('bystander', 7) });
    await gatewayServes();
  });

  const loginPayloads: [string, unknown[]][] = [
    ['no payload', []],
    ['null', [null]],
    ['a number', [42]],
    ['a string', ['uid=1&companyID=7']],
    ['an array', [[1, 7, 'token']]],
    ['nested arrays', [[[[[]]]]]],
    ['uid as object', [{ uid: { toString: 'x' }, companyID: 7, token: 'x' }]],
    ['uid as NoSQL operator', [{ uid: { $gt: '' }, companyID: { $ne: null }, token: 'x' }]],
    ['uid as array', [{ uid: [1], companyID: [7], token: 'x' }]],
    ['token as object', [{ uid: 1, companyID: 7, token: { alg: 'none' } }]],
    ['token as array', [{ uid: 1, companyID: 7, token: ['a', 'b'] }]],
    ['huge uid (90 kB)', [{ uid: 'x'.repeat(90_000), companyID: 7, token: 'x' }]],
    ['huge token (90 kB)', [{ uid: 1, companyID: 7, token: 'x'.repeat(90_000) }]],
    ['deeply nested (200 levels)', [{ uid: JSON.parse(`${'['.repeat(200)}${']'.repeat(200)}`), companyID: 7 }]],
    ['pollution keys', [JSON.parse('{"__proto__":{"isAdmin":true},"constructor":{"prototype":{"uid":"2"}},"uid":1,"companyID":7}')]],
    ['unicode uid', [{ uid: '1\u202e', companyID: 7, token: 'x' }]],
    ['lone surrogate uid', [{ uid: '\ud800', companyID: 7, token: 'x' }]],
    ['NUL uid', [{ uid: '1\u0000', companyID: 7, token: 'x' }]],
    ['binary payload', [new Uint8Array(1000).fill(0xff)]],
    ['binary token', [{ uid: 1, companyID: 7, token: new Uint8Array([1, 2, 3]) }]],
    ['since not a record id', [{ uid: 1, companyID: 7, token: 'x', since: { $gt: '' } }]],
    ['extra arguments', [{ uid: 1, companyID: 7 }, 'extra', 123, { more: true }]],
  ];

  it.each(loginPayloads)('login with %s is refused (error ack or disconnect)', async (_name, args) => {
    // The user most payloads name (uid 1 of company 7), legitimately online: messages for them flow.
    const legitimate = await authed('1', '7');
    const page = await raw();
    const reaction = await react(page, 'login', args);
    expect(refused(reaction), JSON.stringify(reaction).slice(0, 300)).toBe(true);
    const sent = await api.sendMessage({ companyID: 7, receiverID: 1, typeID: 1, title: 'not for the hostile page', content: '' });
    expect(sent.status).toBe(202);
    await legitimate.waitFor('new_msg', (m) => m.id === sent.body.ids[0], 10_000);
    expect(page.events('new_msg')).toEqual([]);
  });

  it('login larger than SOCKET_MAX_BYTES (200 kB) gets the socket disconnected', async () => {
    const page = await raw();
    const reaction = await react(page, 'login', [{ uid: 1, companyID: 7, token: 'x'.repeat(200_000) }]);
    expect(reaction).toHaveProperty('disconnected');
  });

  it('read with 10^5 ids gets the socket disconnected (over SOCKET_MAX_BYTES), and 1,001 ids an error ack', async () => {
    const page = await authed('reader-1');
    const ids = Array.from({ length: 100_000 }, () => '01J00000000000000000000000');
    expect(await react(page, 'read', [{ ids }])).toHaveProperty('disconnected');
    const other = await authed('reader-2');
    const tooMany = await react(other, 'read', [{ ids: ids.slice(0, 1001) }]);
    expect(tooMany).toMatchObject({ ack: { error: { code: 'invalid_input' } } });
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

  it.each(readPayloads)('read with %s gets an error ack', async (_name, args) => {
    const page = await authed('reader-3');
    const reaction = await react(page, 'read', args);
    expect(reaction).toMatchObject({ ack: { error: { code: 'invalid_input' } } });
  });

  it('a 30,000-level nested payload (written raw) neither crashes the gateway nor logs the socket in', async () => {
    const page = await raw();
    const deep = `${'['.repeat(30_000)}${']'.repeat(30_000)}`;
    writeRaw(page, `42["login",{"uid":${deep},"companyID":7}]`, `42["read",${deep}]`);
    // Either still connected and still not logged in, or dropped: both are fine; a crash is not.
    if (page.socket.connected) {
      const reaction = await react(page, 'read', [{ all: true }]);
      if ('ack' in reaction) expect(reaction.ack).toMatchObject({ error: { code: 'unauthorized' } });
    }
    await gatewayServes();
  });

  it('read before login gets an unauthorized ack', async () => {
    expect(await react(await raw(), 'read', [{ all: true }])).toMatchObject({ ack: { error: { code: 'unauthorized' } } });
  });

  it('unknown and reserved event names change nothing; reserved ones, broken packets and bad attachments disconnect', async () => {
    const page = await authed('odd-events');
    const emitter = page.socket as unknown as { emit: (...a: unknown[]) => void };
    for (const name of ['admin', '__proto__', 'constructor', 'toString', 'hasOwnProperty', 'new_msg', 'update_online_count']) {
      emitter.emit(name, { uid: 2, all: true });
    }
    // Still connected and still logged in as itself: a read still answers.
    expect(await react(page, 'read', [{ all: true }])).toEqual({ ack: { updated: 0 } });

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
    await gatewayServes();
  });

  it('a reserved "disconnect" event does not make a connected user count as offline', async () => {
    const stays = await authed('presence-stays', 'presence-co');
    const forger = await authed('presence-forger', 'presence-co');
    await stays.waitFor('update_online_count', (n) => n === 2);
    // The forger's socket is dropped for the reserved name; its user goes offline, the other stays.
    writeRaw(forger, '42["disconnect"]');
    await forger.waitForDisconnect(5000);
    await stays.waitFor('update_online_count', (n) => n === 1);
    expect((await api.request('GET', '/v1/companies/presence-co/online')).body).toEqual({ count: 1, uids: ['presence-stays'] });
  });

  it('5,000 malformed events in a burst: every one answered with an error ack or the socket dropped; others unaffected', async () => {
    const page = await authed('flooder');
    const emitter = page.socket as unknown as { emit: (...a: unknown[]) => void };
    const burst = 5000;
    let acks = 0;
    let successes = 0;
    const started = Date.now();
    for (let n = 0; n < burst; n++) {
      const [event, payload] = n % 2 === 0 ? ['read', { ids: `bad-${n}` }] : ['login', { uid: { n }, companyID: [] }];
      emitter.emit(event, payload, (ack: unknown) => {
        acks += 1;
        if (!ApiErrorBody.safeParse(ack).success) successes += 1;
      });
    }
    // While the flood is being worked through, a message to the bystander still arrives promptly.
    const sent = await api.sendMessage({ companyID: 7, receiverID: 'bystander', typeID: 1, title: 'during the flood', content: '' });
    const during = Date.now();
    await bystander.waitFor('new_msg', (m) => m.id === sent.body.ids[0], 10_000);
    const latencyMs = Date.now() - during;

    await new Promise<void>((resolve, reject) => {
      const deadline = setTimeout(() => reject(new Error(`after 30 s: ${acks} acks of ${burst}, connected=${page.socket.connected}`)), 30_000);
      const check = setInterval(() => {
        if (acks === burst || !page.socket.connected) {
          clearInterval(check);
          clearTimeout(deadline);
          resolve();
        }
      }, 20);
    });
    console.info(`flood: ${acks}/${burst} acked in ${Date.now() - started} ms, connected=${page.socket.connected}; bystander latency ${latencyMs} ms`);
    expect(successes).toBe(0);
    expect(latencyMs).toBeLessThan(5000);
    await gatewayServes();
  });

  it('a socket that never logs in is dropped, and the gateway is still up after everything', async () => {
    const idle = await raw();
    await idle.waitForDisconnect(10_000);
    await gatewayServes();
    expect(stack.gateways[0]?.output()).not.toMatch(/uncaught|unhandled|FATAL/i);
  });
});
