import type { HistogramSnapshot } from '../latency-histogram.js';

/** One simulated browser page: whose it is and the browser token minted for it by `POST /v1/tokens`. */
export interface PageSpec {
  uid: string;
  companyID: string;
  token: string;
}

/**
 * How a page group's server authenticates pages: `token` = the Socket API's `auth: {token}`;
 * `identity` = raw socket.io with no auth, the page names its rooms (socket ceiling).
 */
export type PageAuth = 'token' | 'identity';

/** Where a driver sends records: the api (or its stand-in) over HTTP, or a socket.io `push` event. */
export type Transport = { kind: 'http'; url: string; apiKey: string } | { kind: 'socket'; url: string };

/**
 * Whom a driver sends to: random users among the agent's own pages (a message each), one company
 * (a dynamic each), or, with `POST /v1/bulk`, `size` messages a request, each to a random user: one
 * of the agent's own with a page open for an `online` share of them, else a user with no page
 * (who gets it stored, for the next login).
 */
export type Targets =
  | { kind: 'own-users' }
  | { kind: 'company'; companyID: string; sentinelUid: string }
  | { kind: 'bulk'; size: number; online: number };

/**
 * Open loop at a fixed rate, or closed loop: at most `size` requests whose records are not all seen
 * yet by a page of the agent (a message by its receiver's first tab, a dynamic by its company's
 * sentinel page; a bulk request's messages to users with a page open), so the queue can never keep
 * growing.
 */
export type Pace = { kind: 'rate'; perSecond: number } | { kind: 'window'; size: number };

export interface DriveSpec {
  transport: Transport;
  targets: Targets;
  pace: Pace;
  durationMs: number;
  /** Characters of `content`. */
  payloadBytes: number;
}

/** What a driver did; times are epoch ms (one clock for every process on the machine). */
export interface DriveResult {
  /** Requests. */
  sent: number;
  accepted: number;
  failed: number;
  /** Records the accepted requests carried (one each, but for bulk requests). */
  acceptedRecords: number;
  /** Answers by status (`error` for a network failure). */
  statuses: Record<string, number>;
  firstSendAt: number;
  lastSendAt: number;
  /** Deliveries the accepted records owe to this agent's pages (own-users targets only). */
  expectedDeliveries: number;
  /** Closed loop only: records never seen within the time-out, given up on to free their slot. */
  gaveUp: number;
}

/** What a group's pages received since the last `reset`. */
export interface GroupStats {
  deliveries: number;
  /** Distinct record ids received. */
  records: number;
  firstAt: number;
  lastAt: number;
  latency: HistogramSnapshot;
  /** Other events (e.g. `unread_count`, `update_online_count`) by name. */
  otherEvents: Record<string, number>;
  pages: number;
}

export interface ConnectResult {
  connected: number;
  failed: number;
  firstError?: string;
  elapsedMs: number;
}

export interface ReplayResult {
  /** ms from `login` sent to `unread_count` received, which the gateway sends after the last replayed `new_msg`. */
  latency: HistogramSnapshot;
  replayedPerLogin: number[];
  failed: number;
  firstError?: string;
}

/** What a group's `read` requests got (see `PageGroup.churn`). */
export interface ChurnResult {
  /** ms from `read` sent to its ack. */
  acks: HistogramSnapshot;
  failed: number;
}

/** A page whose own requests are timed; with `catchUpFrom`, it catches up from that message id. */
export interface InboxProbeUser extends PageSpec {
  catchUpFrom?: string;
}

export interface InboxProbeResult {
  /** ms from `list_messages` (the first page of 20) sent to its ack. */
  list: HistogramSnapshot;
  /** ms from `catch_up` sent to its ack. */
  catchUp: HistogramSnapshot;
  /** Messages in each catch-up answer. */
  catchUpItems: number[];
  failed: number;
  firstError?: string;
}

/** Orchestrator → agent. Every command is answered by one {@link AgentReply} with the same `seq`. */
export type AgentCommand =
  | {
      cmd: 'connect';
      group: string;
      url: string;
      pages: PageSpec[];
      auth: PageAuth;
      /** The page counts as open at `connect`, or (the Socket API) once it has its `unread_count` and `update_online_count`. */
      readyEvent: 'connect' | 'session';
      concurrency: number;
      timeoutMs: number;
    }
  | { cmd: 'disconnect'; group: string }
  | { cmd: 'reset'; group: string }
  | { cmd: 'stats'; group: string }
  | { cmd: 'drive'; group: string; spec: DriveSpec }
  | { cmd: 'replay'; url: string; users: PageSpec[]; logins: number; timeoutMs: number }
  | { cmd: 'inbox'; url: string; users: InboxProbeUser[]; rounds: number; timeoutMs: number }
  | { cmd: 'churn'; group: string; everyMs: number; durationMs: number }
  | { cmd: 'send'; transport: Transport; path: '/v1/messages'; body: Record<string, unknown> };

export type AgentRequest = AgentCommand & { seq: number };

export type AgentReply = { seq: number; ok: true; result: unknown } | { seq: number; ok: false; error: string };

/** Results by command. */
export interface AgentResults {
  connect: ConnectResult;
  disconnect: null;
  reset: null;
  stats: GroupStats;
  drive: DriveResult;
  replay: ReplayResult;
  inbox: InboxProbeResult;
  churn: ChurnResult;
  send: SendResult;
}

/** One request sent (`send`): its status and the ids it was answered with. */
export interface SendResult {
  status: string;
  ids: string[];
}
