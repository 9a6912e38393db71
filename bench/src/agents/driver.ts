import type { DriveResult, DriveSpec } from './agent-protocol.js';
import type { PageGroup } from './page-group.js';
import { httpSender, socketSender, type OutgoingRecord, type RecordSender } from './record-sender.js';

/** A closed-loop record not seen by then is given up on (its slot freed), so a lost one cannot stall the run. */
const GIVE_UP_MS = 10_000;
/** Open loop: never more requests in flight than this; a rate the server cannot answer shows as `sent` < offered. */
const MAX_IN_FLIGHT = 1000;
/** Bulk: the users without a page that the rest of the messages go to. */
const OFFLINE_USERS = 100_000;

/**
 * Sends records for `spec.durationMs` at a fixed rate or in a closed loop, then waits for the
 * answers still in flight (not for the deliveries: the orchestrator waits for those).
 */
export async function drive(spec: DriveSpec, group: PageGroup): Promise<DriveResult> {
  const sender: RecordSender =
    spec.transport.kind === 'http'
      ? httpSender(spec.transport, spec.pace.kind === 'window' ? Math.max(1, spec.pace.size) : 256)
      : await socketSender(spec.transport);
  try {
    return await new Drive(spec, group, sender).run();
  } finally {
    sender.close();
  }
}

/** A request in flight in a closed loop: done once every record of it that a page will see has been seen. */
interface Watched {
  remaining: number;
}

/** What one request sends, and what its records owe. */
interface Planned {
  outgoing: OutgoingRecord;
  /** Deliveries each record owes to this agent's pages (its receiver's tabs; 0 when counted by the orchestrator). */
  tabs: number[];
  /** Which records a page of this agent will see (and so end the request in a closed loop). */
  watched: boolean[];
}

class Drive {
  private readonly result: DriveResult = {
    sent: 0,
    accepted: 0,
    failed: 0,
    acceptedRecords: 0,
    statuses: {},
    firstSendAt: 0,
    lastSendAt: 0,
    expectedDeliveries: 0,
    gaveUp: 0,
  };
  private inFlight = 0;
  /** Closed loop: records accepted, not yet seen, with the time sent and their request. */
  private readonly outstanding = new Map<string, { sentAt: number; request: Watched }>();
  /** Closed loop: seen before their answer came back (a fast pipeline does that). */
  private readonly seenEarly = new Set<string>();
  private readonly content: string;
  private endAt = 0;
  private sequence = 0;
  private settle: (() => void) | undefined;

  constructor(
    private readonly spec: DriveSpec,
    private readonly group: PageGroup,
    private readonly sender: RecordSender,
  ) {
    this.content = 'x'.repeat(spec.payloadBytes);
  }

  async run(): Promise<DriveResult> {
    if (this.spec.targets.kind !== 'company' && this.group.uids.length === 0) return this.result;
    const stopWatching = this.spec.pace.kind === 'window' ? this.group.onDelivery((id, uid, first) => this.seen(id, uid, first)) : () => true;
    const sweeper = setInterval(() => this.giveUpOnLost(), 1000);
    const start = Date.now();
    this.endAt = start + this.spec.durationMs;
    const finished = new Promise<void>((resolve) => (this.settle = resolve));
    if (this.spec.pace.kind === 'window') {
      for (let slot = 0; slot < this.spec.pace.size; slot += 1) this.sendOne();
    } else {
      this.tick(start, this.spec.pace.perSecond);
    }
    await finished;
    clearInterval(sweeper);
    stopWatching();
    return this.result;
  }

  /**
   * Open loop: sends whatever is due by now, then sleeps until the next send is due. (Polling every
   * millisecond instead cost each agent a thousand wake-ups a second, CPU taken from the servers
   * under test on a small machine.)
   */
  private tick(start: number, perSecond: number): void {
    const now = Date.now();
    const total = Math.ceil((this.spec.durationMs * perSecond) / 1000);
    const due = Math.min(Math.floor(((Math.min(now, this.endAt) - start) * perSecond) / 1000), total);
    while (this.result.sent < due && this.inFlight < MAX_IN_FLIGHT && this.sendOne());
    if (now >= this.endAt) {
      this.maybeFinished();
      return;
    }
    const nextDueAt = Math.min(this.endAt, start + Math.ceil(((this.result.sent + 1) * 1000) / perSecond));
    setTimeout(() => this.tick(start, perSecond), Math.max(1, nextDueAt - now));
  }

  /** Sends one request unless the time is up; false when it is. */
  private sendOne(): boolean {
    const now = Date.now();
    if (now >= this.endAt) {
      this.maybeFinished();
      return false;
    }
    const planned = this.nextRequest();
    this.result.sent += 1;
    this.result.firstSendAt ||= now;
    this.result.lastSendAt = now;
    this.inFlight += 1;
    void this.sender.send(planned.outgoing).then(({ status, ids }) => {
      this.inFlight -= 1;
      this.result.statuses[status] = (this.result.statuses[status] ?? 0) + 1;
      if (ids.length === 0) {
        this.result.failed += 1;
        this.freeSlot();
      } else {
        this.result.accepted += 1;
        this.result.acceptedRecords += ids.length;
        this.result.expectedDeliveries += planned.tabs.reduce((sum, tabs) => sum + tabs, 0);
        this.answered(ids, planned.watched);
      }
      this.maybeFinished();
    });
    return true;
  }

  private nextRequest(): Planned {
    const n = (this.sequence += 1);
    const targets = this.spec.targets;
    if (targets.kind === 'company') {
      return {
        tabs: [0],
        watched: [true],
        outgoing: {
          path: '/v1/dynamics',
          room: `company:${targets.companyID}`,
          event: 'update_dynamic',
          body: { companyID: targets.companyID, operatorID: 'bench-operator', operator: 'Bench', title: `bench dynamic ${n}`, content: this.content },
        },
      };
    }
    if (targets.kind === 'bulk') return this.nextBulk(n, targets.size, targets.online);
    const uid = this.randomUid();
    return {
      tabs: [this.group.tabs.get(uid) ?? 0],
      watched: [true],
      outgoing: { path: '/v1/messages', room: `uid:${uid}`, event: 'new_msg', body: this.message(uid, n) },
    };
  }

  /** `size` messages, an `online` share of them (the first always) to this agent's users with a page open. */
  private nextBulk(n: number, size: number, online: number): Planned {
    const messages: Record<string, unknown>[] = [];
    const tabs: number[] = [];
    const watched: boolean[] = [];
    for (let i = 0; i < size; i += 1) {
      const toPage = i === 0 || Math.random() < online;
      const uid = toPage ? this.randomUid() : `bulk-offline-${Math.floor(Math.random() * OFFLINE_USERS)}`;
      messages.push({ ...this.message(uid, n), receiverID: uid });
      tabs.push(toPage ? (this.group.tabs.get(uid) ?? 0) : 0);
      watched.push(toPage);
    }
    return { tabs, watched, outgoing: { path: '/v1/bulk', room: '', event: 'new_msg', body: { messages } } };
  }

  private randomUid(): string {
    const uids = this.group.uids;
    return uids[Math.floor(Math.random() * uids.length)] as string;
  }

  private message(uid: string, n: number): Record<string, unknown> {
    return { companyID: this.group.companyOf.get(uid) ?? 'bulk-offline', receiverID: uid, typeID: 1 + (n % 3), title: `bench message ${n}`, content: this.content };
  }

  /** Closed loop: the answer for a request came back with the ids of its records. */
  private answered(ids: readonly string[], watched: readonly boolean[]): void {
    if (this.spec.pace.kind !== 'window') return;
    const request: Watched = { remaining: 0 };
    const now = Date.now();
    ids.forEach((id, index) => {
      if (!watched[index]) return;
      if (this.seenEarly.delete(id)) return;
      request.remaining += 1;
      this.outstanding.set(id, { sentAt: now, request });
    });
    if (request.remaining === 0) this.freeSlot();
  }

  /** Closed loop: a page saw `id` (for a company: its sentinel page; else the first tab). */
  private seen(id: string, uid: string, first: boolean): void {
    const targets = this.spec.targets;
    const counts = targets.kind === 'company' ? uid === targets.sentinelUid : first;
    if (!counts) return;
    const waiting = this.outstanding.get(id);
    if (waiting) {
      this.outstanding.delete(id);
      this.recordDone(waiting.request);
    } else if (this.inFlight > 0) this.seenEarly.add(id);
  }

  private recordDone(request: Watched): void {
    request.remaining -= 1;
    if (request.remaining === 0) this.freeSlot();
  }

  private freeSlot(): void {
    if (this.spec.pace.kind === 'window') this.sendOne();
    else this.maybeFinished();
  }

  private giveUpOnLost(): void {
    const limit = Date.now() - GIVE_UP_MS;
    for (const [id, { sentAt, request }] of this.outstanding) {
      if (sentAt > limit) continue;
      this.outstanding.delete(id);
      this.result.gaveUp += 1;
      this.recordDone(request);
    }
  }

  private maybeFinished(): void {
    if (this.inFlight === 0 && Date.now() >= this.endAt) this.settle?.();
  }
}
