import { createHmac } from 'node:crypto';
import { SignJWT } from 'jose';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { signBrowserToken } from '@notify/auth';
import { type ApiClient, closeAllPages, openPage, startStack, type Stack } from '@notify/testing';

// docs/api.md, Socket.io: a bad, expired or missing token is refused with connect_error "unauthorized";
// the same tokens offered with the older `login` event are refused too. Every variant below is
// built from scratch here, not taken from the api, so a lenient verifier cannot hide behind it.

const b64 = (value: unknown) => Buffer.from(typeof value === 'string' ? value : JSON.stringify(value)).toString('base64url');
const hs = (algorithm: 'sha256' | 'sha384' | 'sha512', secret: string, signingInput: string) =>
  createHmac(algorithm, secret).update(signingInput).digest('base64url');

/** A JWT with any header and claims, HMAC-signed with `secret` (or with `signature` given as is). */
function handmade(header: unknown, claims: unknown, secret: string, algorithm: 'sha256' | 'sha384' | 'sha512' = 'sha256'): string {
  const input = `${b64(header)}.${b64(claims)}`;
  return `${input}.${hs(algorithm, secret, input)}`;
}

describe('browser tokens the gateway must refuse', () => {
  let stack: Stack;
  let api: ApiClient;
  let gateway: string;
  let refusals: [string, string][];

  const now = () => Math.floor(Date.now() / 1000);

  beforeAll(async () => {
    stack = await startStack({ env: { LOGIN_TIMEOUT_MS: '3000' } });
    api = stack.client;
    gateway = stack.gatewayUrls[0] as string;
    const secret = stack.jwtSecret;
    const valid = await api.mintToken(1, 7);
    const [header, payload, signature] = valid.split('.') as [string, string, string];
    const good = { sub: '1', cid: '7', exp: now() + 600 };
    const hsHeader = { alg: 'HS256', typ: 'JWT' };
    const attackerSecret = 'attacker-secret-attacker-secret-0123456789';
    refusals = [
      ['garbage', 'forged'],
      ['empty', ''],
      ['two segments', `${header}.${payload}`],
      ['four segments', `${valid}.${signature}`],
      ['random signature', `${header}.${payload}.${b64('x'.repeat(32))}`],
      ['signature of another token', `${header}.${b64({ ...good, sub: '2' })}.${signature}`],
      ['payload changed to uid 2', `${header}.${b64({ sub: '2', cid: '7', exp: 9_999_999_999 })}.${signature}`],
      ['payload changed to company 8', `${header}.${b64({ sub: '1', cid: '8', exp: 9_999_999_999 })}.${signature}`],
      ['expired', (await signBrowserToken(secret, { uid: '1', companyID: '7' }, 60, new Date(Date.now() - 3_600_000))).token],
      ['expired a second ago', handmade(hsHeader, { ...good, exp: now() - 1 }, secret)],
      ['wrong secret', (await signBrowserToken(attackerSecret, { uid: '1', companyID: '7' }, 600)).token],
      ['empty secret', handmade(hsHeader, good, '')],
      ['alg none', `${b64({ alg: 'none', typ: 'JWT' })}.${b64(good)}.`],
      ['alg None', `${b64({ alg: 'None' })}.${b64(good)}.`],
      ['alg NONE with signature', `${b64({ alg: 'NONE' })}.${b64(good)}.${signature}`],
      ['alg none, no signature segment', `${b64({ alg: 'none' })}.${b64(good)}`],
      ['HS512 with the right secret', await new SignJWT({ cid: '7' }).setProtectedHeader({ alg: 'HS512' }).setSubject('1').setExpirationTime('1h').sign(new TextEncoder().encode(secret))],
      ['HS384 with the right secret', handmade({ alg: 'HS384' }, good, secret, 'sha384')],
      ['RS256 header, HMAC-signed (algorithm confusion)', handmade({ alg: 'RS256' }, good, secret)],
      ['ES256 header, HMAC-signed', handmade({ alg: 'ES256' }, good, secret)],
      ['embedded jwk of the attacker', handmade({ alg: 'HS256', jwk: { kty: 'oct', k: b64(attackerSecret) } }, good, attackerSecret)],
      ['kid pointing at a file', handmade({ alg: 'HS256', kid: '../../../../dev/null' }, good, '')],
      ['unknown crit extension', handmade({ alg: 'HS256', crit: ['x-evil'], 'x-evil': true }, good, secret)],
      ['no exp', handmade(hsHeader, { sub: '1', cid: '7' }, secret)],
      ['exp as a string', handmade(hsHeader, { ...good, exp: String(now() + 600) }, secret)],
      ['nbf in the future', handmade(hsHeader, { ...good, nbf: now() + 3600 }, secret)],
      ['no sub', handmade(hsHeader, { cid: '7', exp: now() + 600 }, secret)],
      ['no cid', handmade(hsHeader, { sub: '1', exp: now() + 600 }, secret)],
      ['sub a number', handmade(hsHeader, { ...good, sub: 1 }, secret)],
      ['sub an array', handmade(hsHeader, { ...good, sub: ['1'] }, secret)],
      ['sub an object', handmade(hsHeader, { ...good, sub: { $gt: '' } }, secret)],
      ['sub empty', handmade(hsHeader, { ...good, sub: '' }, secret)],
      ['sub with a space', handmade(hsHeader, { ...good, sub: 'a b' }, secret)],
      ['sub path traversal', handmade(hsHeader, { ...good, sub: '../2' }, secret)],
      ['sub 65 characters', handmade(hsHeader, { ...good, sub: 'x'.repeat(65) }, secret)],
      ['sub with NUL', handmade(hsHeader, { ...good, sub: '1\u0000' }, secret)],
      ['sub with RTL override', handmade(hsHeader, { ...good, sub: '1\u202e' }, secret)],
      ['sub with a pipe', handmade(hsHeader, { ...good, sub: '1|2' }, secret)],
      ['cid with a space', handmade(hsHeader, { ...good, cid: '7 8' }, secret)],
      ['cid an object', handmade(hsHeader, { ...good, cid: { $ne: null } }, secret)],
      ['claims not an object', `${header}.${b64('"just a string"')}.${hs('sha256', secret, `${header}.${b64('"just a string"')}`)}`],
      ['claims not JSON', `${header}.${b64('{not json')}.${hs('sha256', secret, `${header}.${b64('{not json')}`)}`],
      ['over 4,096 characters', handmade(hsHeader, { ...good, pad: 'x'.repeat(5000) }, secret)],
      ['with a Bearer prefix', `Bearer ${valid}`],
      ['with a leading space', ` ${valid}`],
    ];
  });
  afterEach(closeAllPages);
  afterAll(() => stack?.stop());

  it('refuses every variant in the handshake with connect_error "unauthorized"', async () => {
    const outcomes: string[] = [];
    for (const [name, token] of refusals) {
      const outcome = await openPage(gateway, { token }).then(
        (page) => {
          page.close();
          return 'connected';
        },
        (error: Error) => error.message,
      );
      if (outcome !== 'unauthorized') outcomes.push(`${name}: ${outcome}`);
    }
    expect(outcomes).toEqual([]);
  });

  it('refuses every variant offered with login (error ack, then disconnect), and the socket gets nothing', async () => {
    const accepted: string[] = [];
    for (const [name, token] of refusals) {
      const page = await openPage(gateway, { raw: true });
      const ack = await page.emitWithAck('login', { uid: 1, companyID: 7, token });
      if (!ack || !('error' in ack)) accepted.push(`${name}: ${JSON.stringify(ack)}`);
      await page.waitForDisconnect(5000).catch(() => accepted.push(`${name}: not disconnected`));
      page.close();
    }
    expect(accepted).toEqual([]);
  });

  it('accepts the genuine token both ways (the refusals above are not a broken gateway)', async () => {
    const token = await api.mintToken(1, 7);
    const byHandshake = await openPage(gateway, { token });
    await byHandshake.waitFor('unread_count');
    const byLogin = await openPage(gateway, { login: { uid: 1, companyID: 7, token } });
    expect(byLogin.loginAck).toEqual({ uid: '1', companyID: '7' });
  });

  it('the api refuses to mint a token for an identifier that is not valid', async () => {
    for (const uid of ['a b', '', '../2', 'x'.repeat(65), 'uid:2|x', { $gt: '' }, ['1'], 1.5, null]) {
      const response = await api.request('POST', '/v1/tokens', { body: { uid, companyID: 7 } });
      expect(response.status, JSON.stringify(uid)).toBe(400);
    }
  });
});
