import { decodeTime } from 'ulid';
import type { BenchContext } from '../bench-context.js';
import { LatencyHistogram, type LatencySummary } from '../latency-histogram.js';
import type { SystemName } from './delivery-phase.js';
import type { DeliveryTarget } from './delivery-target.js';
import { untilStalled } from '../until-stalled.js';

/** One message to many receivers, sent again and again: how long until every receiver's page has it. */
export interface FanoutResult {
  system: SystemName;
  receivers: number;
  sends: number;
  /** Sends whose every page got the message before giving up. */
  complete: number;
  /** Acceptance (the id's time) → the last of the receivers' pages has it, one value per send. */
  allPagesMs: LatencySummary;
  /** Acceptance → each page has it, every delivery. */
  perPageMs: LatencySummary;
}

/** Give up on a send after this long without a new delivery (ms). */
const STALL_MS = 3000;

/**
 * Fan-out: `--fanout-sends` times, one `POST /v1/messages` with `receiverIDs` of the
 * `--fanout-receivers` users of the fan-out group (one page each, spread over the agents), one send
 * after the other finished: from acceptance to the moment the last of those pages has it.
 */
export async function runFanout(ctx: BenchContext, target: DeliveryTarget, group: string, receivers: readonly string[], companyID: string): Promise<FanoutResult> {
  const { options, pool } = ctx;
  const [sender] = pool.agents;
  if (!sender || target.transport.kind !== 'http') throw new Error('fan-out needs an agent and an http target');
  ctx.log(`fan-out: one message to ${receivers.length} receivers with a page open, ${options.fanoutSends} times → ${target.system}`);
  const allPages = new LatencyHistogram();
  const perPage = new LatencyHistogram();
  let complete = 0;
  for (let n = 0; n < options.fanoutSends; n += 1) {
    await pool.all({ cmd: 'reset', group });
    const body = { companyID, receiverIDs: receivers, typeID: 1, title: `fan-out ${n}`, content: 'x'.repeat(options.payloadBytes) };
    const sent = await sender.call({ cmd: 'send', transport: target.transport, path: '/v1/messages', body });
    const [first] = sent.ids;
    if (!first) throw new Error(`fan-out: the send was answered ${sent.status}`);
    // The agents time each page's arrival themselves (lastAt): polling them more often adds no precision.
    const deliveries = (stats: { deliveries: number }[]) => stats.reduce((sum, s) => sum + s.deliveries, 0);
    const stats = await untilStalled(() => pool.all({ cmd: 'stats', group }), deliveries, receivers.length, STALL_MS, 50);
    const delivered = deliveries(stats);
    for (const s of stats) perPage.merge(s.latency);
    if (delivered < receivers.length) continue;
    complete += 1;
    allPages.record(Math.max(...stats.map((s) => s.lastAt)) - decodeTime(first));
  }
  return { system: target.system, receivers: receivers.length, sends: options.fanoutSends, complete, allPagesMs: allPages.summary(), perPageMs: perPage.summary() };
}
