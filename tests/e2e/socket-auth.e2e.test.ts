import { SignJWT } from 'jose';
import { describe, expect, it } from 'vitest';
import { signBrowserToken } from '@notify/auth';
import { openPage, useStack } from '@notify/testing';

// Acceptance 5 (sockets): forged, expired and foreign tokens are refused, and a socket can never
// listen in on another user.
describe('socket authentication', () => {
  const fx = useStack({ env: { LOGIN_TIMEOUT_MS: '1500' } });
  const gateway = () => fx.stack.gatewayUrls[0] as string;

  const refusal = (token: string) => openPage(gateway(), { token }).then(() => 'connected', (error: Error) => error.message);

  it('refuses forged, expired, wrong-secret and alg:none tokens with "unauthorized"', async () => {
    const valid = await fx.api.mintToken(1, 7);
    const [header, payload] = valid.split('.');
    const expired = await signBrowserToken(fx.stack.jwtSecret, { uid: '1', companyID: '7' }, 60, new Date(Date.now() - 3_600_000));
    const wrongSecret = await signBrowserToken('another-secret-another-secret-123456', { uid: '1', companyID: '7' }, 60);
    const unsigned = `${Buffer.from('{"alg":"none","typ":"JWT"}').toString('base64url')}.${payload}.`;
    const tampered = `${header}.${Buffer.from(JSON.stringify({ sub: '2', cid: '7', exp: 9_999_999_999 })).toString('base64url')}.${valid.split('.')[2]}`;
    const hs512 = await new SignJWT({ cid: '7' }).setProtectedHeader({ alg: 'HS512' }).setSubject('1').setExpirationTime('1h').sign(new TextEncoder().encode(fx.stack.jwtSecret));

    for (const token of ['forged', expired.token, wrongSecret.token, unsigned, tampered, hs512, '']) {
      expect(await refusal(token)).toBe('unauthorized');
    }
    expect(await refusal(valid)).toBe('connected');
  });

  it('a login naming another uid than the token is refused and that socket gets nothing', async () => {
    const victim = await openPage(gateway(), { token: await fx.api.mintToken(2, 7) });
    const tokenOf1 = await fx.api.mintToken(1, 7);
    const attacker = await openPage(gateway(), { raw: true });
    const ack = await attacker.emitWithAck('login', { uid: 2, companyID: 7, token: tokenOf1 });
    expect(ack).toMatchObject({ error: { code: 'unauthorized' } });

    // While the attacker's socket is still open (before its disconnect), a message for 2 reaches 2 only.
    const sent = await fx.api.sendMessage({ companyID: 7, receiverID: 2, typeID: 1, title: 'secret', content: 'for 2' });
    await victim.waitFor('new_msg', (m) => m.id === sent.body.ids[0]);
    expect(attacker.events('new_msg')).toEqual([]);
    expect(attacker.events('unread_count')).toEqual([]);
    await attacker.waitForDisconnect(5000);
  });

  it('a login without a token is refused unless ALLOW_UNSIGNED_LOGIN is on', async () => {
    const page = await openPage(gateway(), { raw: true });
    const ack = await page.emitWithAck('login', { uid: 3, companyID: 7 });
    expect(ack).toMatchObject({ error: { code: 'unauthorized' } });
    await page.waitForDisconnect(5000);
  });

  it('a token-authenticated socket cannot switch to another user with login', async () => {
    const page = await openPage(gateway(), { token: await fx.api.mintToken(1, 7) });
    const ack = await page.emitWithAck('login', { uid: 2, companyID: 7, token: await fx.api.mintToken(2, 7) });
    expect(ack).toMatchObject({ error: { code: 'unauthorized' } });
    const sent = await fx.api.sendMessage({ companyID: 7, receiverIDs: [1, 2], typeID: 1, title: 'pair', content: '' });
    await page.waitFor('new_msg', (m) => m.id === sent.body.ids[0]);
    const other = await openPage(gateway(), { token: await fx.api.mintToken(2, 7) });
    await other.waitFor('new_msg', (m) => m.id === sent.body.ids[1]);
    expect(page.events('new_msg').map((m) => m.receiverID)).not.toContain('2');
  });

  it('a socket that never logs in is disconnected after the login deadline', async () => {
    const page = await openPage(gateway(), { raw: true });
    await page.waitForDisconnect(10_000);
  });

  it('malformed read and login payloads get an error ack, and the gateway carries on', async () => {
    const page = await openPage(gateway(), { token: await fx.api.mintToken(1, 7) });
    expect(await page.emitWithAck('read', { ids: 'all' })).toMatchObject({ error: { code: 'invalid_input' } });
    expect(await page.emitWithAck('read', 42)).toMatchObject({ error: { code: 'invalid_input' } });
    const raw = await openPage(gateway(), { raw: true });
    expect(await raw.emitWithAck('login', { uid: { $gt: '' }, companyID: [] })).toMatchObject({ error: { code: 'invalid_input' } });
    expect(await raw.emitWithAck('read', { all: true })).toMatchObject({ error: { code: 'unauthorized' } });
    expect((await fetch(`${gateway()}/readyz`)).status).toBe(200);
  });
});
