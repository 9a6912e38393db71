import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { closeAllPages, startStack, waitUntil, type Stack } from '@notify/testing';

// Issue 14.4: `/push` answers `ok` ("the receiver has a page open") from the sessions' expiry, as
// `GET /v1/companies/:id/online` does. With the only gateway killed, nobody is left to sweep its
// sessions; the answer must still turn `offline` once their lease has run out (within PRESENCE_TTL_MS).

const PRESENCE_TTL_MS = 3000;

describe('/push after the only gateway was killed with SIGKILL', () => {
  let stack: Stack;

  beforeAll(async () => {
    stack = await startStack({ env: { PRESENCE_TTL_MS: String(PRESENCE_TTL_MS), API_RATE_LIMIT: '0' } });
  });
  afterEach(closeAllPages);
  afterAll(() => stack?.stop());

  /** A message for `uid` pushed as a PHP backend does; resolves with the plain-text answer. */
  const push = async (uid: string, title: string) => {
    const query = new URLSearchParams({ action: 'message', receiverID: uid, companyID: 'pk', typeID: '1', title, content: '' });
    const response = await stack.client.request('POST', `/push?${query}`);
    expect(response.status).toBe(200);
    return response.body as string;
  };
  const onlineCount = async () => ((await stack.client.request('GET', '/v1/companies/pk/online')).body as { count: number }).count;

  it('answers offline within PRESENCE_TTL_MS, as the online list does, and stays offline', async () => {
    const page = await stack.page('alice', 'pk');
    await page.waitFor('update_online_count', (count) => count === 1);
    expect(await push('alice', 'while open')).toBe('ok');
    expect(await onlineCount()).toBe(1);

    await stack.gateways[0]!.kill('SIGKILL');
    const killedAt = Date.now();
    let tries = 0;
    const answeredOffline = async () => {
      tries += 1;
      return (await push('alice', `probe ${tries}`)) === 'offline';
    };
    await waitUntil(answeredOffline, {
      timeoutMs: PRESENCE_TTL_MS,
      intervalMs: 100,
      message: `/push answers offline for alice within PRESENCE_TTL_MS (${PRESENCE_TTL_MS} ms) of the kill`,
    });
    console.info(`/push said offline ${Date.now() - killedAt} ms after the only gateway was killed (PRESENCE_TTL_MS ${PRESENCE_TTL_MS})`);
    expect(await onlineCount()).toBe(0);
    // No gateway is alive to sweep, so this is the lease's expiry speaking, and it does not flip back.
    expect(await push('alice', 'later')).toBe('offline');
  });
});
