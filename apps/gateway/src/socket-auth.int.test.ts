import { describe, expect, it } from 'vitest';
import { openPage, type Page, useInProcessStack } from '@notify/testing';

// A socket can never listen in on another user: a login naming someone else than its token is
// refused, a logged-in socket cannot switch user, and unsigned logins need ALLOW_UNSIGNED_LOGIN.
// Forged, expired and foreign tokens are refused in `tests/e2e/authz-tokens.e2e.test.ts`.
// "Got nothing" is checked after a marker sent to the same page, never by waiting.
describe('socket authentication', () => {
  const stack = useInProcessStack({ env: { LOGIN_TIMEOUT_MS: '1500' } });
  const url = () => stack().gatewayUrls[0]!;
  /** Socket ids in a room of the gateway, as the gateway sees them (a client's `socket.id` is the same). */
  const room = (name: string) => [...(stack().gateways[0]!.io.of('/').adapter.rooms.get(name) ?? [])];
  const send = async (receiverID: number, title: string) => {
    const sent = await stack().client.sendMessage({ companyID: 7, receiverID, typeID: 1, title, content: '' });
    expect(sent.status).toBe(202);
    return sent.body.ids[0]!;
  };
  /** A message to `uid` that `page` receives: whatever was emitted to the page before it has arrived. */
  const marker = async (uid: number, page: Page) => {
    const id = await send(uid, 'marker');
    await page.waitFor('new_msg', (m) => m.id === id);
  };

  it('a login naming another uid than the token is refused, joins nothing and receives nothing', async () => {
    const victim = await stack().page(2, 7);
    const attacker = await openPage(url(), { raw: true });
    const attackerId = attacker.socket.id;
    const ack = await attacker.emitWithAck('login', { uid: 2, companyID: 7, token: await stack().token(1, 7) });
    expect(ack).toMatchObject({ error: { code: 'unauthorized' } });
    expect(room('uid:2')).toContain(victim.socket.id);
    expect(room('uid:2')).not.toContain(attackerId);

    const secret = await send(2, 'secret');
    await victim.waitFor('new_msg', (m) => m.id === secret);
    // Refused logins are disconnected: once the socket is gone, what it received is final.
    await attacker.waitForDisconnect();
    expect(attacker.events('new_msg')).toEqual([]);
    expect(attacker.events('unread_count')).toEqual([]);
    expect(attacker.events('update_online_count')).toEqual([]);
  });

  it('a login without a token is refused unless ALLOW_UNSIGNED_LOGIN is on', async () => {
    const page = await openPage(url(), { raw: true });
    const id = page.socket.id;
    expect(await page.emitWithAck('login', { uid: 3, companyID: 7 })).toMatchObject({ error: { code: 'unauthorized' } });
    await page.waitForDisconnect();
    expect(room('uid:3')).not.toContain(id);
  });

  it('a token-authenticated socket cannot switch to another user with login', async () => {
    const page = await stack().page(1, 7);
    const user2 = await stack().page(2, 7);
    const ack = await page.emitWithAck('login', { uid: 2, companyID: 7, token: await stack().token(2, 7) });
    expect(ack).toMatchObject({ error: { code: 'unauthorized' } });
    expect(room('uid:2')).toContain(user2.socket.id);
    expect(room('uid:2')).not.toContain(page.socket.id);

    const forUser2 = await send(2, 'for 2');
    await user2.waitFor('new_msg', (m) => m.id === forUser2);
    // Emitted to user 2's room before the marker: had `page` joined it, it would have it by now.
    await marker(1, page);
    expect(page.events('new_msg').map((m) => m.receiverID)).toEqual(['1']);
    expect(page.socket.connected).toBe(true);
  });

  it('a socket that never logs in is disconnected after the login deadline', async () => {
    const page = await openPage(url(), { raw: true });
    expect(await page.waitForDisconnect(10_000)).toBe('io server disconnect');
  });

  it('malformed read and login payloads get an error ack, and the gateway carries on', async () => {
    const page = await stack().page(1, 7);
    expect(await page.emitWithAck('read', { ids: 'all' })).toMatchObject({ error: { code: 'invalid_input' } });
    expect(await page.emitWithAck('read', 42)).toMatchObject({ error: { code: 'invalid_input' } });
    const raw = await openPage(url(), { raw: true });
    expect(await raw.emitWithAck('login', { uid: { $gt: '' }, companyID: [] })).toMatchObject({ error: { code: 'invalid_input' } });
    expect(await raw.emitWithAck('read', { all: true })).toMatchObject({ error: { code: 'unauthorized' } });
    expect((await fetch(`${url()}/readyz`)).status).toBe(200);
    await marker(1, page);
  });
});
