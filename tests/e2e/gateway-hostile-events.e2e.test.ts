import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { AppProcess } from '@notify/launcher';
import {
  closeAllPages,
  openPage,
  startStack,
  type ClientEventName,
  type Page,
  type Stack,
} from '@notify/testing';

type Outcome = { ack: unknown } | { disconnected: string };

/** What the gateway did with one hostile emit: answered the ack, or dropped the socket. Anything else fails. */
function outcomeOf(page: Page, event: ClientEventName, payload: unknown, timeoutMs = 10_000): Promise<Outcome> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(
      () => reject(new Error(`"${event}": neither an ack nor a disconnect within ${timeoutMs} ms`)),
      timeoutMs + 500,
    );
    const settle = (outcome: Outcome) => {
      clearTimeout(timer);
      resolve(outcome);
    };
    // Whichever comes first; the other one's timeout is expected and ignored.
    page.emitWithAck(event, payload, timeoutMs).then((ack) => settle({ ack }), () => undefined);
    page.waitForDisconnect(timeoutMs).then((reason) => settle({ disconnected: reason }), () => undefined);
  });
}

/** Writes a raw socket.io packet on the page's connection, bypassing the client's own checks. */
function sendRaw(page: Page, packet: string): void {
  page.socket.io.engine.send(packet);
}

const errorCode = (outcome: Outcome) =>
  'ack' in outcome ? (outcome.ack as { error?: { code?: string } }).error?.code : `disconnected (${outcome.disconnected})`;

// Issue 4, hostile input on sockets: malformed events get an error ack or a disconnect, and the
// gateway carries on serving everyone else.
describe('hostile socket events', () => {
  let stack: Stack;
  let gateway: string;
  /** A second gateway that accepts 5 MB socket messages, so 10^5 ids reach the parser instead of the size limit. */
  let roomyGateway: AppProcess;
  const exits: string[] = [];

  beforeAll(async () => {
    stack = await startStack({ env: { LOGIN_TIMEOUT_MS: '5000' } });
    gateway = stack.gatewayUrls[0] as string;
    roomyGateway = await stack.addGateway({ SOCKET_MAX_BYTES: '5000000' });
    for (const app of stack.gateways) void app.exit.then((exit) => exits.push(`${app.url}: ${JSON.stringify(exit)}`));
  });
  afterEach(closeAllPages);
  afterAll(async () => {
    // Every test here must leave both gateways up, ready, and delivering.
    expect(exits).toEqual([]);
    // Refusing bad input is routine: nothing here may reach a handler's error path (pino level 50+).
    const errors = stack.gateways.flatMap((app) => app.output().split('\n').filter((line) => /"level":(50|60)\b/.test(line)));
    expect(errors).toEqual([]);
    for (const url of stack.gatewayUrls) expect((await fetch(`${url}/readyz`)).status).toBe(200);
    for (const url of stack.gatewayUrls) {
      const page = await openPage(url, { token: await stack.client.mintToken(99, 7) });
      const sent = await stack.client.sendMessage({ companyID: 7, receiverID: 99, typeID: 1, title: 'still here', content: url });
      await page.waitFor('new_msg', (message) => message.id === sent.body.ids[0], 10_000);
      page.close();
    }
    await stack?.stop();
  });

  const token = (uid: number, companyID = 7) => stack.client.mintToken(uid, companyID);

  it('answers malformed logins with invalid_input, and drops a socket whose message is over the size limit', async () => {
    const deep: unknown = JSON.parse(`${'['.repeat(2000)}${']'.repeat(2000)}`);
    const malformed: unknown[] = [
      null,
      42,
      'login',
      [],
      [{ uid: 1, companyID: 7 }],
      {},
      { uid: { $gt: '' }, companyID: 7 },
      { uid: [1], companyID: {} },
      { uid: 1, companyID: 7, token: { $ne: null } },
      { uid: 1.5, companyID: -1 },
      { uid: 'x'.repeat(90_000), companyID: 7 },
      { uid: 1, companyID: 7, token: 'y'.repeat(90_000) },
      { uid: deep, companyID: deep },
      { uid: '1\u0000', companyID: '7\u202e' },
      { uid: 1, companyID: 7, token: await token(1), since: { $gt: '' } },
    ];
    for (const payload of malformed) {
      const page = await openPage(gateway, { raw: true });
      expect(errorCode(await outcomeOf(page, 'login', payload)), JSON.stringify(payload).slice(0, 80)).toBe('invalid_input');
      page.close();
    }

    const oversized = await openPage(gateway, { raw: true });
    const outcome = await outcomeOf(oversized, 'login', { uid: 1, companyID: 7, token: 'z'.repeat(200_000) });
    expect(outcome).toMatchObject({ disconnected: expect.any(String) });
  });

  it('refuses `read` with 10^5 ids: dropped at the size limit, or answered invalid_input by a gateway that lets it in', async () => {
    const ids = Array.from({ length: 100_000 }, (_, i) => `01K${String(i).padStart(23, '0')}`);

    const limited = await openPage(gateway, { token: await token(1) });
    expect(await outcomeOf(limited, 'read', { ids })).toMatchObject({ disconnected: expect.any(String) });

    const roomy = await openPage(roomyGateway.url, { token: await token(1) });
    const started = Date.now();
    const outcome = await outcomeOf(roomy, 'read', { ids });
    expect(Date.now() - started).toBeLessThan(5000);
    expect(outcome).toMatchObject({ ack: { error: { code: 'invalid_input' } } });

    // Thousands of problems in one payload come back as a short list, not an ack bigger than the payload.
    const noisy = Object.fromEntries(Array.from({ length: 5000 }, (_, i) => [`k${i}`, i]));
    const noisyAck = await roomy.emitWithAck('read', noisy);
    expect(noisyAck).toMatchObject({ error: { code: 'invalid_input' } });
    expect(('error' in noisyAck && noisyAck.error.issues?.length) || 0).toBeLessThanOrEqual(20);
    expect(await roomy.emitWithAck('read', { ids: ids.slice(0, 3) })).toEqual({ updated: 0 });
  });

  it('answers an event sent with no payload, or with extra arguments before the ack', async () => {
    const page = await openPage(gateway, { token: await token(3) });
    /** Emits `args` as they are (the last one an ack callback) and resolves with the ack. */
    const emitRaw = (event: string, ...args: unknown[]) =>
      new Promise<unknown>((resolve, reject) => {
        const timer = setTimeout(() => reject(new Error(`no ack for ${event}(${JSON.stringify(args)})`)), 5000);
        // Hostile on purpose: the typed event map does not allow these shapes.
        (page.socket as unknown as { emit: (...a: unknown[]) => void }).emit(event, ...args, (ack: unknown) => {
          clearTimeout(timer);
          resolve(ack);
        });
      });
    expect(await emitRaw('read')).toMatchObject({ error: { code: 'invalid_input' } });
    expect(await emitRaw('login')).toMatchObject({ error: { code: 'invalid_input' } });
    expect(await emitRaw('read', { all: true }, 'extra', 42)).toEqual({ updated: 0 });
    expect(await emitRaw('login', { uid: 3, companyID: 7 }, { more: true })).toEqual({ uid: '3', companyID: '7' });
  });

  it('survives reserved and odd event names, broken packets and too many binary attachments', async () => {
    const odd = ['error', 'connect', 'connect_error', 'disconnect', 'disconnecting', 'newListener', 'removeListener',
      '__proto__', 'constructor', 'toString', 'hasOwnProperty', 'new_msg', 'x'.repeat(50_000)];
    for (const name of odd) {
      const page = await openPage(gateway, { token: await token(2) });
      sendRaw(page, `2${JSON.stringify([name, { all: true }])}`);
      // A packet after it is answered (or the socket was dropped): the odd one has been handled either way.
      const after = await outcomeOf(page, 'read', { ids: ['01K00000000000000000000000'] });
      if ('ack' in after) expect(after.ack).toEqual({ updated: 0 });
      page.close();
    }
    for (const packet of ['2["read"', '2{}', '2[]', '2[1,2]', '9', '2-["read"]', '51-["read",{"_placeholder":true,"num":0}]',
      `5${'9'.repeat(30)}-["read",{"_placeholder":true,"num":0}]`, '2/../../["read",{"all":true}]']) {
      const page = await openPage(gateway, { token: await token(2) });
      sendRaw(page, packet);
      const after = await outcomeOf(page, 'read', { all: true });
      if ('ack' in after) expect(after.ack).toMatchObject({ updated: expect.any(Number) });
      page.close();
    }
  });

  it('refuses handshakes with malformed auth as unauthorized', async () => {
    for (const token of [{ $ne: null }, 'x'.repeat(90_000), ['a'], null, 42, '']) {
      // Typed as a string by openPage; what goes over the wire is whatever this is.
      const refusal = await openPage(gateway, { token: token as string }).then(() => 'connected', (error: Error) => error.message);
      expect(refusal, JSON.stringify(token).slice(0, 60)).toBe('unauthorized');
    }
  });

  it('lets one of a flood of concurrent logins through, counting the user once', async () => {
    const page = await openPage(gateway, { raw: true });
    const payload = { uid: 5, companyID: 70, token: await token(5, 70) };
    const acks = await Promise.all(Array.from({ length: 100 }, () => page.emitWithAck('login', payload)));
    const refused = acks.filter((ack) => 'error' in ack);
    expect(acks.length - refused.length).toBeGreaterThanOrEqual(1);
    for (const ack of refused) expect(ack).toMatchObject({ error: { code: 'invalid_input' } });
    // The login's own count, and maybe the company room's broadcast of the same change.
    expect(page.events('update_online_count')).toContain(1);
    expect(page.events('update_online_count').every((count) => count === 1)).toBe(true);
    expect((await stack.client.request('GET', '/v1/companies/70/online')).body).toEqual({ count: 1, uids: ['5'] });
  });

  it('sends update_online_count right after login, by token or by login event, also when the count did not change', async () => {
    const first = await openPage(gateway, { token: await token(1, 71) });
    expect(await first.waitFor('update_online_count')).toBe(1);

    const older = await openPage(gateway, { login: { uid: 2, companyID: 71, token: await token(2, 71) } });
    // Sent before the login ack, so it is there as soon as the page counts as open.
    expect(older.events('update_online_count')).toContain(2);
    expect(older.events('update_online_count').every((count) => count === 2)).toBe(true);
    await first.waitFor('update_online_count', (count) => count === 2);

    // A second tab changes nobody's count, so there is no broadcast: the tab still hears the count.
    const secondTab = await openPage(roomyGateway.url, { token: await token(1, 71) });
    expect(await secondTab.waitFor('update_online_count')).toBe(2);
    // One unread_count per login, whatever order it and the count arrive in.
    expect(secondTab.events('unread_count')).toHaveLength(1);
  });
});
