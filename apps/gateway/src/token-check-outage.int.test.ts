import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startRedisServer, type RedisServer } from '@notify/launcher';
import { closeAllPages, openPage, PageOpenError, startInProcessStack, type InProcessStack } from '@notify/testing';

// Whether a token has been revoked is known only to Redis. When Redis cannot answer in time, the
// gateway refuses the token (`unavailable`) rather than let a cut-off user back in; open sockets stay.
// This file stops its own redis-server (SIGSTOP: a hung Redis); the run's shared one serves other files meanwhile.
describe('token checks while Redis does not answer', () => {
  let server: RedisServer;
  let stack: InProcessStack;
  let stopped = false;
  const hang = (hung: boolean) => {
    process.kill(server.pid, hung ? 'SIGSTOP' : 'SIGCONT');
    stopped = hung;
  };

  beforeAll(async () => {
    server = await startRedisServer({ appendOnly: false });
    stack = await startInProcessStack({ redisUrl: server.url });
  });
  afterAll(async () => {
    closeAllPages();
    if (stopped) hang(false);
    await stack?.stop();
    await server?.stop();
  });

  it('refuses handshakes and refreshes with "unavailable" and keeps the open sockets', async () => {
    const url = stack.gatewayUrls[0]!;
    const open = await stack.page(301, 7);
    const freshToken = await stack.token(302, 7);
    const refreshToken = await stack.token(301, 7);

    hang(true);
    try {
      const refused = await openPage(url, { token: freshToken }).then(
        () => 'connected',
        (error: Error) => (error instanceof PageOpenError ? error.message : `failed: ${error.message}`),
      );
      expect(refused).toBe('unavailable');
      const raw = await openPage(url, { raw: true });
      expect(await raw.emitWithAck('login', { uid: 302, companyID: 7, token: freshToken })).toMatchObject({ error: { code: 'unavailable' } });
      expect(await open.emitWithAck('refresh_token', { token: refreshToken })).toMatchObject({ error: { code: 'unavailable' } });
      expect(open.socket.connected).toBe(true);
    } finally {
      hang(false);
    }

    const again = await openPage(url, { token: freshToken });
    expect(await open.emitWithAck('refresh_token', { token: refreshToken })).toEqual({ expiresAt: expect.any(String) });
    const sent = await stack.client.sendMessage({ companyID: 7, receiverID: 301, typeID: 1, title: 'after', content: '' });
    await open.waitFor('new_msg', (m) => m.id === sent.body.ids[0]);
    expect(open.events('session_ended')).toEqual([]);
    expect(again.socket.connected).toBe(true);
  });
});
