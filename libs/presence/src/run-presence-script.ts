import type { RedisClient } from '@notify/redis';
import { LuaScript } from '@notify/redis';
import { PresenceReplyError } from './presence-errors.js';
import type { PresenceKeys } from './presence-keys.js';

/**
 * The one atomic step every presence change goes through. Running prune, change, recount and
 * PUBLISH (SPUBLISH on a Redis Cluster, to the company's sharded channel in the keys' own slot) in
 * one script means two gateways can never interleave between "count" and "publish",
 * so `presence.changed` events leave Redis in the order the changes happened.
 *
 * Time is Redis server time (`TIME`), not the caller's clock: every expiry is written and judged
 * by the same clock, so a gateway whose clock runs ahead can neither keep its sessions alive for
 * longer nor expire another gateway's live ones. (Needs Redis >= 5, where scripts replicate their
 * effects and may call TIME before writing.)
 *
 * The distinct-uid count is kept incrementally in a hash (uid → sessions holding it) whose length
 * is the count, so a change costs O(log n) rather than a scan of every session of the company.
 * The count before and after the script is that hash's length, and only the script writes it,
 * so the last published count always equals the current one and needs no key of its own.
 */
const LUA = `
local sessions, uids = KEYS[1], KEYS[2]
local leaseMs = tonumber(ARGV[4])
local time = redis.call('TIME')
local now = tonumber(time[1]) * 1000 + math.floor(tonumber(time[2]) / 1000)
local before = redis.call('HLEN', uids)

local function uidOf(member)
  return string.match(member, '([^|]*)$')
end

local function forget(member)
  if redis.call('ZREM', sessions, member) == 1 then
    local uid = uidOf(member)
    if redis.call('HINCRBY', uids, uid, -1) <= 0 then
      redis.call('HDEL', uids, uid)
    end
  end
end

for _, member in ipairs(redis.call('ZRANGEBYSCORE', sessions, '-inf', '(' .. now)) do
  forget(member)
end

local missing = {}
for i = 6, #ARGV do
  local op, member = string.sub(ARGV[i], 1, 1), string.sub(ARGV[i], 2)
  if op == '+' then
    if redis.call('ZADD', sessions, now + leaseMs, member) == 1 then
      redis.call('HINCRBY', uids, uidOf(member), 1)
    end
  elseif op == '~' then
    if redis.call('ZSCORE', sessions, member) then
      redis.call('ZADD', sessions, 'XX', now + leaseMs, member)
    else
      missing[#missing + 1] = member
    end
  else
    forget(member)
  end
end

local count = redis.call('HLEN', uids)
if count ~= before then
  redis.call(ARGV[5], ARGV[1], cjson.encode({
    type = 'presence.changed',
    origin = ARGV[2],
    sentAt = now,
    payload = { companyID = ARGV[3], count = count },
  }))
end

local reply = { count, count ~= before and 1 or 0, redis.call('ZCARD', sessions) }
for _, member in ipairs(missing) do
  reply[#reply + 1] = member
end
return reply
`;

const PRESENCE_SCRIPT = new LuaScript(LUA);

/** What to do with one session member: add or refresh it, remove it, or refresh it only if present. */
export interface SessionOp {
  kind: 'add' | 'remove' | 'refresh';
  member: string;
}

const OP_PREFIX = { add: '+', remove: '-', refresh: '~' } as const satisfies Record<SessionOp['kind'], string>;

/** Input of one script run. */
export interface PresenceScriptCall {
  keys: PresenceKeys;
  /** Bus channel the change event is published on. */
  channel: string;
  /** SPUBLISH on `channel` (a sharded channel in the keys' slot, on a Redis Cluster) instead of PUBLISH. */
  sharded: boolean;
  /** The envelope's `origin`. */
  origin: string;
  companyID: string;
  /** Lifetime given to added or refreshed sessions, in ms. */
  leaseMs: number;
  ops: readonly SessionOp[];
}

/** Outcome of one script run. */
export interface PresenceScriptResult {
  /** Distinct users online in the company afterwards. */
  count: number;
  /** Whether the count changed (and a `presence.changed` was published). */
  changed: boolean;
  /** Sessions left in the company, of any gateway; 0 means the company can leave the sweep set. */
  sessions: number;
  /** Members of `refresh` ops that were not there (pruned or lost): the caller should re-add them. */
  missing: string[];
}

/**
 * Prunes expired sessions of one company, applies `ops`, and publishes the new distinct-user count
 * on the bus if it changed. Calls whose order matters must await each other (the tracker's
 * per-user queue does): see {@link LuaScript}.
 */
export async function runPresenceScript(redis: RedisClient, call: PresenceScriptCall): Promise<PresenceScriptResult> {
  const args = [
    call.channel,
    call.origin,
    call.companyID,
    String(call.leaseMs),
    call.sharded ? 'SPUBLISH' : 'PUBLISH',
    ...call.ops.map((op) => OP_PREFIX[op.kind] + op.member),
  ];
  return parseReply(await PRESENCE_SCRIPT.run(redis, [call.keys.sessions, call.keys.uids], args));
}

function parseReply(reply: unknown): PresenceScriptResult {
  if (!Array.isArray(reply)) throw new PresenceReplyError(reply);
  const [count, changed, sessions, ...missing] = reply as unknown[];
  if (
    typeof count !== 'number' ||
    typeof changed !== 'number' ||
    typeof sessions !== 'number' ||
    !missing.every((member) => typeof member === 'string')
  ) {
    throw new PresenceReplyError(reply);
  }
  return { count, changed: changed === 1, sessions, missing: missing as string[] };
}
