import { setTimeout as sleep } from 'node:timers/promises';
import { BusType, type RevokeTokensResponse } from '@notify/contracts';
import { notBeforeKey, REVOCATION_RETAIN_MS, type RevocationScope } from '@notify/auth';
import { LuaScript } from '@notify/redis';
import type { ApiDeps } from '../../api-deps.js';
import { withDeadline } from '../../errors/with-deadline.js';

/**
 * Sets KEYS[1] to ARGV[1] (a "not before", epoch ms) unless it already holds a later one, and keeps
 * it ARGV[2] ms; returns the value in force. Never moving back matters when api clocks disagree: a
 * later revocation from a machine whose clock is behind must not let tokens the earlier one refused
 * back in.
 */
const SET_NOT_BEFORE = new LuaScript(`
local current = tonumber(redis.call('GET', KEYS[1]))
if current and current >= tonumber(ARGV[1]) then
  redis.call('PEXPIRE', KEYS[1], ARGV[2])
  return redis.call('GET', KEYS[1])
end
redis.call('SET', KEYS[1], ARGV[1], 'PX', ARGV[2])
return ARGV[1]
`);

/** How long the answer may wait for this process's clock to pass the "not before" (ms); see {@link RevokeTokens}. */
const CLOCK_WAIT_MAX_MS = 50;

/**
 * `POST /v1/users/:uid/revoke-tokens` and `POST /v1/companies/:companyID/revoke-tokens`: from now
 * on, tokens of that user (or company) minted at or before this instant (the api's clock) are
 * refused at the handshake, `login` and `refresh_token`; every gateway ends their open pages' sessions.
 */
export class RevokeTokens {
  constructor(private readonly deps: Pick<ApiDeps, 'redis' | 'bus' | 'config'>) {}

  /** Revokes, or fails with 503 once UNAVAILABLE_AFTER_MS have passed. */
  execute(scope: RevocationScope): Promise<RevokeTokensResponse> {
    return withDeadline(this.revoke(scope), this.deps.config.UNAVAILABLE_AFTER_MS, 'Redis');
  }

  private async revoke(scope: RevocationScope): Promise<RevokeTokensResponse> {
    const { redis, bus, config } = this.deps;
    // Stored before it is published: a page dropped by the bus event and reconnecting at once is refused.
    const reply = await SET_NOT_BEFORE.run(redis, [notBeforeKey(config.REDIS_PREFIX, scope)], [Date.now(), REVOCATION_RETAIN_MS]);
    const notBefore = Number(reply);
    await bus.publish(BusType.tokensRevoked, { ...scope, notBefore });
    // A token minted after this answer, by this process, must be newer than the "not before" even
    // within the same millisecond; a later value set by another machine's clock is not waited for.
    if (notBefore - Date.now() < CLOCK_WAIT_MAX_MS) {
      while (Date.now() <= notBefore) await sleep(1);
    }
    return { revokedBefore: new Date(notBefore).toISOString() };
  }
}
