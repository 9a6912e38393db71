import { setTimeout as sleep } from 'node:timers/promises';
import { describe, expect, it } from 'vitest';
import { decodeJwt } from 'jose';
import { signBrowserToken } from '@notify/auth';
import { openPage, type Page, useInProcessStack, waitUntil } from '@notify/testing';

// Issue 11: a page hands its live socket a fresh token (`refresh_token`) instead of reconnecting; a
// socket whose token expires without one is ended at `exp` with `session_ended {reason}`.
describe('token refresh and expiry on live sockets', () => {
  const stack = useInProcessStack({ gateways: 2 });
  /** The token's `exp`, in ms. */
  const expiryOf = (token: string) => decodeJwt(token).exp! * 1000;
  /** A page on `gateway` authenticated with `token`, reconnecting after a drop as a real page does. */
  const pageWith = (token: string, gateway = 0) => openPage(stack().gatewayUrls[gateway]!, { token }, { reconnection: true });
  const send = async (uid: number, companyID: number, title: string) => {
    const sent = await stack().client.sendMessage({ companyID, receiverID: uid, typeID: 1, title, content: '' });
    expect(sent.status).toBe(202);
    return sent.body.ids[0]!;
  };
  /** Resolves once `page` has received `session_ended`, with when that was and what it said. */
  const sessionEnd = async (page: Page, timeoutMs: number) => {
    const ended = await page.waitFor('session_ended', undefined, timeoutMs);
    return { at: Date.now(), ...ended };
  };

  it('a page with 3-second tokens refreshed every 2 seconds keeps receiving for 15 seconds on one connection', async () => {
    let handshakes = 0;
    stack().gateways[0]!.io.on('connection', (socket) => {
      if (socket.data.identity?.uid === '101') handshakes += 1;
    });
    const page = await pageWith(await stack().token(101, 7, 3));
    const started = Date.now();
    const expiries: number[] = [];
    const delivered: string[] = [];
    // The cadence is the behaviour under test: a refresh every 2 s, each token good for 3 s.
    while (Date.now() - started < 15_000) {
      await sleep(2000);
      const ack = await page.emitWithAck('refresh_token', { token: await stack().token(101, 7, 3) });
      expect(ack).toEqual({ expiresAt: expect.any(String) });
      if ('expiresAt' in ack) expiries.push(Date.parse(ack.expiresAt));
      const id = await send(101, 7, `live ${delivered.length}`);
      await page.waitFor('new_msg', (m) => m.id === id);
      delivered.push(id);
    }
    const last = await send(101, 7, 'near the end');
    await page.waitFor('new_msg', (m) => m.id === last);

    expect(delivered.length).toBeGreaterThanOrEqual(7);
    // Each refresh moved the expiry later; had any been ignored, the first token would have ended the session by now.
    expect(expiries).toEqual([...expiries].sort((a, b) => a - b));
    expect(new Set(expiries).size).toBe(expiries.length);
    expect(page.events('session_ended')).toEqual([]);
    expect(page.socket.connected).toBe(true);
    expect(page.connections).toBe(1);
    expect(handshakes).toBe(1);
  }, 30_000);

  it('a page that stops refreshing is ended within a second of its exp, with session_ended token_expired before the disconnect', async () => {
    const token = await stack().token(102, 7, 1);
    const page = await pageWith(token, 1);
    let endedBeforeDisconnect: boolean | undefined;
    page.socket.on('disconnect', () => (endedBeforeDisconnect = page.events('session_ended').length === 1));

    const ended = await sessionEnd(page, 5000);
    const exp = expiryOf(token);
    expect(ended.reason).toBe('token_expired');
    expect(ended.at).toBeGreaterThanOrEqual(exp);
    expect(ended.at - exp).toBeLessThan(1000);
    // A server-side disconnect: socket.io-client does not reconnect by itself, the page fetches a new token first.
    expect(await page.waitForDisconnect()).toBe('io server disconnect');
    expect(endedBeforeDisconnect).toBe(true);
    expect(page.connections).toBe(1);
  });

  it('a refused refresh (bad, expired, other secret) changes nothing: the old expiry still holds', async () => {
    const token = await stack().token(103, 7, 2);
    const page = await pageWith(token);
    const expired = await signBrowserToken(stack().jwtSecret, { uid: '103', companyID: '7' }, 60, new Date(Date.now() - 3_600_000));
    const otherSecret = await signBrowserToken('another-secret-another-secret-0123456789', { uid: '103', companyID: '7' }, 3600);
    for (const bad of ['forged', expired.token, otherSecret.token]) {
      expect(await page.emitWithAck('refresh_token', { token: bad })).toMatchObject({ error: { code: 'unauthorized' } });
    }
    for (const malformed of [{}, { token: 5 }, { token: '' }, { token: 'x', uid: 1 }, 'just a string', undefined]) {
      expect(await page.emitWithAck('refresh_token', malformed)).toMatchObject({ error: { code: 'invalid_input' } });
    }
    expect(page.socket.connected).toBe(true);
    const ended = await sessionEnd(page, 5000);
    expect(ended.reason).toBe('token_expired');
    expect(ended.at - expiryOf(token)).toBeLessThan(1000);
  });

  it('a refresh with a valid token for another uid or company is refused and ends the session (identity_mismatch)', async () => {
    for (const [uid, companyID] of [
      [105, 7],
      [104, 8],
    ] as const) {
      const page = await pageWith(await stack().token(104, 7), 1);
      const ack = await page.emitWithAck('refresh_token', { token: await stack().token(uid, companyID) });
      expect(ack).toMatchObject({ error: { code: 'unauthorized' } });
      expect(await page.waitFor('session_ended')).toEqual({ reason: 'identity_mismatch' });
      expect(await page.waitForDisconnect()).toBe('io server disconnect');
    }
  });

  it('a socket that has not logged in is told to log in first and is left open', async () => {
    const page = await openPage(stack().gatewayUrls[0]!, { raw: true });
    expect(await page.emitWithAck('refresh_token', { token: await stack().token(106, 7) })).toMatchObject({
      error: { code: 'unauthorized', message: 'log in first' },
    });
    expect(await page.emitWithAck('login', { uid: 106, companyID: 7, token: await stack().token(106, 7) })).toEqual({ uid: '106', companyID: '7' });
  });

  it('a token logged in with `login` expires like a handshake token', async () => {
    const token = await stack().token(107, 7, 1);
    const page = await openPage(stack().gatewayUrls[1]!, { login: { uid: 107, companyID: 7, token } });
    const ended = await sessionEnd(page, 5000);
    expect(ended.reason).toBe('token_expired');
    expect(ended.at - expiryOf(token)).toBeLessThan(1000);
  });

  it('a token whose exp is beyond what one timer can wait (years away) does not end the session early', async () => {
    const farAway = await signBrowserToken(stack().jwtSecret, { uid: '108', companyID: '7' }, 200 * 365 * 24 * 3600);
    const page = await pageWith(farAway.token);
    // Had the timer overflowed, Node would have fired it at once: the marker comes after that would have.
    const marker = await send(108, 7, 'marker');
    await page.waitFor('new_msg', (m) => m.id === marker);
    expect(page.events('session_ended')).toEqual([]);
    expect(page.socket.connected).toBe(true);
  });

  it('clears the expiry timer of a socket that disconnects, and counts refreshes and sessions ended by mismatch and by expiry', async () => {
    const gateway = await stack().addGateway();
    const url = `http://127.0.0.1:${gateway.port}`;
    const page = await openPage(url, { token: await stack().token(109, 7) });
    const other = await openPage(url, { token: await stack().token(110, 7) });
    expect(gateway.sessions.expiring).toBe(2);

    expect(await page.emitWithAck('refresh_token', { token: await stack().token(109, 7) })).toHaveProperty('expiresAt');
    expect(await page.emitWithAck('refresh_token', { token: 'forged' })).toMatchObject({ error: { code: 'unauthorized' } });
    expect(await page.emitWithAck('refresh_token', { nope: true })).toMatchObject({ error: { code: 'invalid_input' } });
    page.close();
    await waitUntil(() => gateway.sessions.expiring === 1, { timeoutMs: 5000, message: 'the closed page’s timer is cleared' });
    expect(await other.emitWithAck('refresh_token', { token: await stack().token(111, 7) })).toMatchObject({ error: { code: 'unauthorized' } });
    await other.waitForDisconnect();
    await waitUntil(() => gateway.sessions.expiring === 0, { timeoutMs: 5000, message: 'the ended page’s timer is cleared' });
    const expiring = await openPage(url, { token: await stack().token(112, 7, 1) });
    expect(await expiring.waitFor('session_ended', undefined, 5000)).toEqual({ reason: 'token_expired' });
    await expiring.waitForDisconnect();

    const metrics = await (await fetch(`${url}/metrics`)).text();
    const value = (line: string) => Number(metrics.split('\n').find((l) => l.startsWith(line))?.slice(line.length + 1));
    expect(value('notify_gateway_token_refreshes_total{result="ok",app="gateway"}')).toBe(1);
    expect(value('notify_gateway_token_refreshes_total{result="unauthorized",app="gateway"}')).toBe(1);
    expect(value('notify_gateway_token_refreshes_total{result="invalid_input",app="gateway"}')).toBe(1);
    expect(value('notify_gateway_token_refreshes_total{result="identity_mismatch",app="gateway"}')).toBe(1);
    expect(value('notify_gateway_sessions_ended_total{reason="identity_mismatch",app="gateway"}')).toBe(1);
    expect(value('notify_gateway_sessions_ended_total{reason="token_expired",app="gateway"}')).toBe(1);
  });
});

describe('sockets logged in without a token (ALLOW_UNSIGNED_LOGIN)', () => {
  const stack = useInProcessStack({ env: { ALLOW_UNSIGNED_LOGIN: '1' } });

  it('never expire, while token sockets on the same gateway do; a refresh upgrades one to an expiring session', async () => {
    const url = stack().gatewayUrls[0]!;
    const unsigned = await openPage(url, { login: { uid: 121, companyID: 7 } });
    const withToken = await openPage(url, { token: await stack().token(122, 7, 1) });
    expect(await withToken.waitFor('session_ended', undefined, 5000)).toEqual({ reason: 'token_expired' });

    // The expiry that ended the token socket has passed; the unsigned one is still served.
    const sent = await stack().client.sendMessage({ companyID: 7, receiverID: 121, typeID: 1, title: 'still here', content: '' });
    await unsigned.waitFor('new_msg', (m) => m.id === sent.body.ids[0]);
    expect(unsigned.events('session_ended')).toEqual([]);
    expect(unsigned.socket.connected).toBe(true);

    const ack = await unsigned.emitWithAck('refresh_token', { token: await stack().token(121, 7, 1) });
    expect(ack).toEqual({ expiresAt: expect.any(String) });
    expect(await unsigned.waitFor('session_ended', undefined, 5000)).toEqual({ reason: 'token_expired' });
    expect(await unsigned.waitForDisconnect()).toBe('io server disconnect');
  });
});
