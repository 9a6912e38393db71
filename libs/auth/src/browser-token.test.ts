import { decodeJwt, SignJWT } from 'jose';
import { describe, expect, it } from 'vitest';
import { readBrowserToken, signBrowserToken, verifyBrowserToken } from './browser-token.js';

const secret = 'a-secret-of-at-least-32-characters!!';
const identity = { uid: '1', companyID: '7' };

describe('browser tokens', () => {
  it('carry the minting time in ms (iat_ms) besides iat in whole seconds', async () => {
    const now = new Date('2026-11-26T10:00:00.250Z');
    const { token } = await signBrowserToken(secret, identity, 60, new Date(now));
    expect(decodeJwt(token)).toMatchObject({ sub: '1', cid: '7', iat: Math.floor(now.getTime() / 1000), iat_ms: now.getTime() });
  });

  it('live at least ttlSeconds: exp is rounded up to the next whole second', async () => {
    const now = new Date();
    const { token, expiresAt } = await signBrowserToken(secret, identity, 3, now);
    const expiresAtMs = Date.parse(expiresAt);
    expect(expiresAtMs - now.getTime()).toBeGreaterThanOrEqual(3000);
    expect(expiresAtMs - now.getTime()).toBeLessThan(4000);
    expect(decodeJwt(token).exp).toBe(expiresAtMs / 1000);
    expect(await readBrowserToken(secret, token)).toEqual({ identity, expiresAtMs, issuedAtMs: now.getTime() });
  });

  it('read a token a backend minted itself: issued at iat × 1000, or unknown without iat', async () => {
    const key = new TextEncoder().encode(secret);
    const withIat = await new SignJWT({ cid: '7' }).setProtectedHeader({ alg: 'HS256' }).setSubject('1').setIssuedAt(1_800_000_000).setExpirationTime('1h').sign(key);
    const withoutIat = await new SignJWT({ cid: '7' }).setProtectedHeader({ alg: 'HS256' }).setSubject('1').setExpirationTime('1h').sign(key);
    expect((await readBrowserToken(secret, withIat))?.issuedAtMs).toBe(1_800_000_000_000);
    expect((await readBrowserToken(secret, withoutIat))?.issuedAtMs).toBeUndefined();
    expect(await verifyBrowserToken(secret, withoutIat)).toEqual(identity);
  });

  it('refuse a token whose iat_ms is not a number', async () => {
    const key = new TextEncoder().encode(secret);
    const odd = await new SignJWT({ cid: '7', iat_ms: 'yesterday' }).setProtectedHeader({ alg: 'HS256' }).setSubject('1').setExpirationTime('1h').sign(key);
    expect(await readBrowserToken(secret, odd)).toBeNull();
  });
});
