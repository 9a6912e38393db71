import { setTimeout as sleep } from 'node:timers/promises';
import { decodeJwt, SignJWT } from 'jose';
import { afterAll, describe, expect, it } from 'vitest';
import { notBeforeKey } from '@notify/auth';
import { isCluster } from '@notify/redis';
import { connectTestRedis, dropConnections, openPage, type Page, PageOpenError, shardedSubscriberName, useInProcessStack } from '@notify/testing';

// Issue 11: a backend cuts a user (or a company) off. Every page of theirs on every gateway ends,
// the tokens minted until then are refused at the handshake, login and refresh, and tokens minted
// afterwards work, even within the same second.
describe('cutting a user or a company off', () => {
  const stack = useInProcessStack({ gateways: 2 });
  const redis = connectTestRedis();
  afterAll(() => redis.quit());

  const url = (gateway: number) => stack().gatewayUrls[gateway]!;
  const refusal = (gateway: number, token: string) =>
    openPage(url(gateway), { token }).then(
      (page) => {
        page.close();
        return 'connected';
      },
      (error: Error) => (error instanceof PageOpenError ? error.message : `failed: ${error.message}`),
    );
  const revoke = (path: string, body?: unknown) => stack().client.request('POST', path, body === undefined ? {} : { body });
  /** A message to `uid` that `page` receives: whatever was meant to reach the page before it has. */
  const marker = async (uid: number, companyID: number, page: Page) => {
    const sent = await stack().client.sendMessage({ companyID, receiverID: uid, typeID: 1, title: 'marker', content: '' });
    await page.waitFor('new_msg', (m) => m.id === sent.body.ids[0]);
  };
  /** Waits until the clock is early in a second, so that a request and the one after it fall in the same second. */
  const earlyInASecond = async () => {
    while (Date.now() % 1000 > 500) await sleep(1000 - (Date.now() % 1000));
  };
  /**
   * Drops the gateways' bus subscriptions (this stack's only), as a network drop would: on one
   * server one connection per gateway, on a Redis Cluster one per gateway and master. Resolves with
   * how many it dropped.
   */
  const dropBusSubscriptions = async (): Promise<number> => {
    const name = `${stack().env.REDIS_PREFIX!}:gateway:sub`;
    return dropConnections(redis, isCluster(redis) ? shardedSubscriberName(name) : name);
  };

  it("ends every page of the user on both gateways within a second, refuses the old tokens, accepts one minted right after; others' pages stay", async () => {
    const oldToken = await stack().token(201, 7);
    const victims = await Promise.all([
      openPage(url(0), { token: oldToken }),
      openPage(url(1), { token: oldToken }),
      // The same person in another company: a uid names one person across companies.
      openPage(url(1), { token: await stack().token(201, 8) }),
      openPage(url(0), { login: { uid: 201, companyID: 7, token: await stack().token(201, 7) } }),
    ]);
    const bystanders = await Promise.all([stack().page(202, 7, { gateway: 0 }), stack().page(202, 7, { gateway: 1 })]);

    await earlyInASecond();
    const started = Date.now();
    const response = await revoke('/v1/users/201/revoke-tokens');
    const freshToken = await stack().client.mintToken(201, 7);
    expect(response.status).toBe(200);
    expect(response.body).toEqual({ revokedBefore: expect.any(String) });
    const revokedBefore = Date.parse(response.body.revokedBefore as string);
    // Minted in the very second of the cut-off: only the milliseconds tell it apart.
    expect(Math.floor(revokedBefore / 1000)).toBe(decodeJwt(freshToken).iat);

    const ends = await Promise.all(
      victims.map(async (page) => {
        const ended = await page.waitFor('session_ended', undefined, 2000);
        return { ...ended, within: Date.now() - started, disconnect: await page.waitForDisconnect() };
      }),
    );
    for (const end of ends) {
      expect(end).toMatchObject({ reason: 'revoked', disconnect: 'io server disconnect' });
      expect(end.within).toBeLessThan(1000);
    }

    expect(await refusal(0, oldToken)).toBe('unauthorized');
    expect(await refusal(1, oldToken)).toBe('unauthorized');
    const raw = await openPage(url(1), { raw: true });
    expect(await raw.emitWithAck('login', { uid: 201, companyID: 7, token: oldToken })).toMatchObject({ error: { code: 'unauthorized' } });

    const fresh = await openPage(url(1), { token: freshToken });
    await marker(201, 7, fresh);
    // A refresh with an old token is refused; the socket's own, newer token still holds.
    expect(await fresh.emitWithAck('refresh_token', { token: oldToken })).toMatchObject({ error: { code: 'unauthorized' } });
    await marker(201, 7, fresh);
    expect(fresh.socket.connected).toBe(true);

    for (const page of bystanders) await marker(202, 7, page);
    for (const page of bystanders) {
      expect(page.events('session_ended')).toEqual([]);
      expect(page.socket.connected).toBe(true);
      expect(page.connections).toBe(1);
    }

    const metric = async (gateway: number, series: string) => {
      const text = await (await fetch(`${url(gateway)}/metrics`)).text();
      return Number(text.split('\n').find((line) => line.startsWith(`${series} `))?.split(' ')[1]);
    };
    for (const gateway of [0, 1]) expect(await metric(gateway, 'notify_gateway_sessions_ended_total{reason="revoked",app="gateway"}')).toBe(2);
    expect(await metric(1, 'notify_gateway_token_refreshes_total{result="revoked",app="gateway"}')).toBe(1);
  });

  it("ends every page of a company's users and refuses the company's older tokens; the same users in another company stay", async () => {
    const oldToken = await stack().token(211, 9);
    const victims = await Promise.all([
      openPage(url(0), { token: oldToken }),
      stack().page(212, 9, { gateway: 1 }),
    ]);
    const sameUserElsewhere = await stack().page(211, 10, { gateway: 1 });
    const otherCompany = await stack().page(213, 10, { gateway: 0 });

    const response = await revoke('/v1/companies/9/revoke-tokens', {});
    expect(response.status).toBe(200);
    for (const page of victims) expect(await page.waitFor('session_ended', undefined, 2000)).toEqual({ reason: 'revoked' });
    expect(await refusal(1, oldToken)).toBe('unauthorized');
    expect(await refusal(0, await stack().client.mintToken(211, 9))).toBe('connected');

    const dynamic = await stack().client.sendDynamic({ companyID: 10, operatorID: 1, operator: 'Ann', title: 'marker', content: '' });
    for (const page of [sameUserElsewhere, otherCompany]) {
      await page.waitFor('update_dynamic', (d) => d.id === dynamic.body.id);
      expect(page.events('session_ended')).toEqual([]);
      expect(page.socket.connected).toBe(true);
    }
  });

  it('compares tokens minted by a backend itself (no iat_ms) by their iat in whole seconds', async () => {
    const secret = new TextEncoder().encode(stack().jwtSecret);
    const backendToken = (iat: number | undefined) => {
      const jwt = new SignJWT({ cid: '7' }).setProtectedHeader({ alg: 'HS256' }).setSubject('221').setExpirationTime('1h');
      return (iat === undefined ? jwt : jwt.setIssuedAt(iat)).sign(secret);
    };
    await earlyInASecond();
    const response = await revoke('/v1/users/221/revoke-tokens');
    const second = Math.floor(Date.parse(response.body.revokedBefore as string) / 1000);

    expect(await refusal(0, await backendToken(second))).toBe('unauthorized');
    expect(await refusal(0, await backendToken(undefined))).toBe('unauthorized');
    expect(await refusal(0, await backendToken(second + 1))).toBe('connected');
    // Without a cut-off, a token with no iat at all is fine.
    const noIat = await new SignJWT({ cid: '7' }).setProtectedHeader({ alg: 'HS256' }).setSubject('222').setExpirationTime('1h').sign(secret);
    expect(await refusal(0, noIat)).toBe('connected');
  });

  it('refuses bad input with 400 naming every problem, and then stores and publishes nothing', async () => {
    const page = await stack().page(231, 7, { gateway: 1 });
    const bad = await revoke('/v1/users/a%20b/revoke-tokens', { all: true });
    expect(bad.status).toBe(400);
    expect(bad.body.error.issues.map((issue: { path: string }) => issue.path).sort()).toEqual(['all', 'uid']);
    for (const body of [{ reason: 'ban' }, [], 'x', null]) {
      expect((await revoke('/v1/users/231/revoke-tokens', body)).status).toBe(400);
    }
    expect((await revoke('/v1/companies/9%209/revoke-tokens')).status).toBe(400);
    const unauthenticated = await stack().client.request('POST', '/v1/users/231/revoke-tokens', { headers: { authorization: 'Bearer nope' } });
    expect(unauthenticated.status).toBe(401);

    await marker(231, 7, page);
    expect(page.events('session_ended')).toEqual([]);
    expect(await redis.exists(notBeforeKey(stack().env.REDIS_PREFIX!, { uid: '231' }))).toBe(0);
  });

  it('keeps the cut-off in Redis for 7 days and a minute, and never moves it back', async () => {
    const key = notBeforeKey(stack().env.REDIS_PREFIX!, { uid: '241' });
    const later = Date.now() + 60_000;
    await redis.set(key, String(later));
    const response = await revoke('/v1/users/241/revoke-tokens');
    expect(Date.parse(response.body.revokedBefore as string)).toBe(later);
    expect(await redis.get(key)).toBe(String(later));
    const ttl = await redis.pttl(key);
    expect(ttl).toBeGreaterThan(7 * 24 * 3600_000);
    expect(ttl).toBeLessThanOrEqual((7 * 24 * 3600 + 60) * 1000);
  });

  it('a gateway that missed the bus event ends the covered sessions when it has the bus again, and at their next refresh', async () => {
    const prefix = stack().env.REDIS_PREFIX!;
    const token = await stack().token(251, 7);
    const onGateway0 = await openPage(url(0), { token });
    const onGateway1 = await openPage(url(1), { token });
    // A revocation whose bus event never came (written as the api writes it, not published).
    await redis.set(notBeforeKey(prefix, { uid: '251' }), String(Date.now()));

    // Refresh with the old token: refused, and the socket's own token is just as old, so it ends.
    expect(await onGateway1.emitWithAck('refresh_token', { token })).toMatchObject({ error: { code: 'unauthorized' } });
    expect(await onGateway1.waitFor('session_ended')).toEqual({ reason: 'revoked' });

    // Drop the gateways' bus subscriptions (this stack's only): once back, each checks its open sessions.
    expect(await dropBusSubscriptions()).toBe(2 * (isCluster(redis) ? redis.nodes('master').length : 1));
    expect(await onGateway0.waitFor('session_ended', undefined, 10_000)).toEqual({ reason: 'revoked' });
  });
});
