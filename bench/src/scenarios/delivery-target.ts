import type { Transport } from '../agents/agent-protocol.js';
import type { QueueDepthSampler } from '../queue-depth-sampler.js';
import type { StageLagProbe } from '../stage-lag.js';
import type { SystemName } from './delivery-phase.js';

/** A system the unicast and broadcast phases run against: the pipeline or a baseline server. */
export interface DeliveryTarget {
  system: SystemName;
  /** The agents' page group connected to it. */
  group: string;
  transport: Transport;
  /** Its server processes, for CPU readings. */
  processes: Record<string, number>;
  /** The pipeline only: its queue's depth. */
  sampler?: QueueDepthSampler;
  /** The pipeline only: its apps' lag histograms. */
  stages?: StageLagProbe;
}
