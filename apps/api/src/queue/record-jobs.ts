import { createHash } from 'node:crypto';
import { JobName, type BatchJobData, type Dynamic, type Message } from '@notify/contracts';

/** One job as `Queue.addBulk` takes it. */
export interface RecordJob {
  name: JobName;
  data: unknown;
  opts: { jobId: string };
}

/** The records one request had accepted together, and the request that did (`X-Request-Id`). */
export interface AcceptedRecords {
  messages?: readonly Message[];
  dynamics?: readonly Dynamic[];
  requestId?: string;
}

/** How much one job may carry; a turn's records that do not fit go into further jobs. */
export interface JobBounds {
  /** Records per job. */
  maxRecords: number;
  /** About this many bytes of record JSON per job (counted in characters, see {@link approximateBytes}). */
  maxBytes: number;
}

/**
 * The jobs that carry `accepted`, in order, each within `bounds`. A job that carries one record is
 * a `message` or `dynamic` job whose id is that record's id, as every job was before batch jobs (so
 * a lone record looks the same in Bull Board, and re-adding it while BullMQ holds it is a no-op).
 * A job that carries several is a `batch` job whose id shows the ids it carries: the first one,
 * `+` how many more, and a digest of all of them (`01K…+41.9f2c61a0d4b3e857`). The digest makes the
 * id stand for exactly those records: a retried request's records batched with other records
 * again must not be taken for the job that already carried them, and dropped.
 */
export function recordJobs(accepted: readonly AcceptedRecords[], bounds: JobBounds): RecordJob[] {
  const jobs: RecordJob[] = [];
  let current = new Packing();
  const add = (kind: 'messages' | 'dynamics', record: Message | Dynamic, requestId: string | undefined) => {
    const bytes = approximateBytes(record);
    if (!current.isEmpty && (current.count >= bounds.maxRecords || current.bytes + bytes > bounds.maxBytes)) {
      jobs.push(current.toJob());
      current = new Packing();
    }
    current.add(kind, record, bytes, requestId);
  };
  for (const { messages = [], dynamics = [], requestId } of accepted) {
    for (const message of messages) add('messages', message, requestId);
    for (const dynamic of dynamics) add('dynamics', dynamic, requestId);
  }
  if (!current.isEmpty) jobs.push(current.toJob());
  return jobs;
}

/** The records of one job as they are gathered. */
class Packing {
  readonly messages: Message[] = [];
  readonly dynamics: Dynamic[] = [];
  readonly requestIds = new Set<string>();
  /** Every record's id, in the order added. */
  readonly ids: string[] = [];
  bytes = 0;

  get count(): number {
    return this.ids.length;
  }

  get isEmpty(): boolean {
    return this.ids.length === 0;
  }

  add(kind: 'messages' | 'dynamics', record: Message | Dynamic, bytes: number, requestId: string | undefined): void {
    if (kind === 'messages') this.messages.push(record as Message);
    else this.dynamics.push(record as Dynamic);
    this.ids.push(record.id);
    this.bytes += bytes;
    if (requestId !== undefined) this.requestIds.add(requestId);
  }

  toJob(): RecordJob {
    const [requestId] = this.requestIds;
    const [message] = this.messages;
    const [dynamic] = this.dynamics;
    if (this.count === 1 && message) return { name: JobName.message, data: { message, requestId }, opts: { jobId: message.id } };
    if (this.count === 1 && dynamic) return { name: JobName.dynamic, data: { dynamic, requestId }, opts: { jobId: dynamic.id } };
    const data: BatchJobData = { messages: this.messages, dynamics: this.dynamics };
    if (this.requestIds.size > 0) data.requestIds = [...this.requestIds];
    return { name: JobName.batch, data, opts: { jobId: batchJobId(this.ids) } };
  }
}

/** `<first id>+<how many more>.<16 hex digits of the SHA-256 of every id>`: never an integer, no `:`. */
export function batchJobId(ids: readonly string[]): string {
  const digest = createHash('sha256').update(ids.join(',')).digest('hex').slice(0, 16);
  return `${ids[0]}+${ids.length - 1}.${digest}`;
}

/**
 * About the size of a record's JSON: its text counted in characters plus a fixed allowance per
 * field, without serialising it (the job's JSON is built once, by BullMQ). Text beyond ASCII takes
 * up to three bytes per character in Redis, so a job of such text may be up to three times larger.
 */
export function approximateBytes(record: Message | Dynamic): number {
  let bytes = 2;
  for (const value of Object.values(record)) bytes += 16 + (typeof value === 'string' ? value.length : 8);
  return bytes;
}
