import { describe, expect, it } from 'vitest';
import { readTokenClaims } from './token-claims.js';
import { TokenKeeper } from './token-keeper.js';

const base64Url = (value: object) => Buffer.from(JSON.stringify(value)).toString('base64url');
const jwt = (claims: object) => `${base64Url({ alg: 'HS256', typ: 'JWT' })}.${base64Url(claims)}.signature`;

describe('readTokenClaims', () => {
  it('reads uid, company, issue and expiry times of a JWT without verifying it', () => {
    expect(readTokenClaims(jwt({ sub: '7:42', cid: '7', iat: 1000, exp: 4600 }))).toEqual({ uid: '7:42', companyID: '7', issuedAt: 1_000_000, expiresAt: 4_600_000 });
    // iat_ms (tokens minted by notify record the millisecond) wins over iat.
    expect(readTokenClaims(jwt({ iat: 1000, iat_ms: 1_000_250, exp: 4600 })).issuedAt).toBe(1_000_250);
    expect(readTokenClaims(jwt({ sub: 'ü', exp: 'soon' }))).toEqual({ uid: 'ü' });
  });

  it('reads nothing from what is not a JWT', () => {
    for (const token of ['', 'opaque-token', 'a.b.c', 'a.%%%.c', `x.${Buffer.from('[1]').toString('base64url')}.y`]) {
      expect(readTokenClaims(token), token).toEqual({});
    }
  });
});

describe('TokenKeeper', () => {
  it('is due at 80% of the time the token had left, by its own lifetime or by the clock, whichever is shorter', async () => {
    const now = 1_000_000_000;
    const fresh = new TokenKeeper(() => jwt({ iat: now / 1000, exp: now / 1000 + 100 }), 0.8);
    await fresh.fetch(now);
    expect(fresh.dueAt).toBe(now + 80_000);

    // The page's clock is 50 s behind the server's: the token's own lifetime still gives 80 s.
    const behind = new TokenKeeper(() => jwt({ iat: now / 1000 + 50, exp: now / 1000 + 150 }), 0.8);
    await behind.fetch(now);
    expect(behind.dueAt).toBe(now + 80_000);

    // Minted 60 s before the page got it (a backend that caches tokens): 40 s left, due in 32 s.
    const old = new TokenKeeper(() => jwt({ iat: now / 1000 - 60, exp: now / 1000 + 40 }), 0.8);
    await old.fetch(now);
    expect(old.dueAt).toBe(now + 32_000);

    const opaque = new TokenKeeper(() => 'opaque', 0.8);
    await opaque.fetch(now);
    expect(opaque.dueAt).toBeUndefined();
  });

  it('reuses the held token for connections until it is due, then asks the provider again', async () => {
    let calls = 0;
    const keeper = new TokenKeeper(() => {
      calls += 1;
      return jwt({ iat: 1000, exp: 1100, n: calls });
    }, 0.5);
    const first = await keeper.forConnection(1_000_000);
    expect(await keeper.forConnection(1_049_999)).toBe(first);
    expect(calls).toBe(1);
    expect(await keeper.forConnection(1_050_000)).not.toBe(first);
    keeper.forget();
    await keeper.forConnection(1_050_001);
    expect(calls).toBe(3);
  });

  it('turns a failing provider, or one that gives no token, into a token error', async () => {
    await expect(new TokenKeeper(() => Promise.reject(new Error('backend down')), 0.8).fetch()).rejects.toMatchObject({ code: 'token', message: expect.stringContaining('backend down') });
    await expect(new TokenKeeper(() => '', 0.8).fetch()).rejects.toMatchObject({ code: 'token' });
  });
});
