import type { SendBulkBody, SendBulkResponse } from '@notify/contracts';
import { withDeadline } from '../../errors/with-deadline.js';
import { acceptedDynamic, acceptedMessage, acceptedRecords, newAcceptance } from '../acceptance.js';
import type { SendContext, SendDeps } from '../send-context.js';

/**
 * `POST /v1/bulk`: many different messages and dynamics in one request, one id each (consecutive,
 * messages first), all enqueued at once: as few jobs as the queue's bounds allow.
 */
export class SendBulk {
  constructor(private readonly deps: SendDeps) {}

  /** Accepts every record, or fails with 503 once UNAVAILABLE_AFTER_MS have passed. */
  execute(body: SendBulkBody, context: SendContext): Promise<SendBulkResponse> {
    return withDeadline(this.accept(body, context), this.deps.config.UNAVAILABLE_AFTER_MS, 'Redis');
  }

  private async accept(body: SendBulkBody, context: SendContext): Promise<SendBulkResponse> {
    const { messages: sentMessages = [], dynamics: sentDynamics = [] } = body;
    const count = sentMessages.length + sentDynamics.length;
    // A retry with the same key gets the same first id, so the same ids and acceptance time.
    const acceptance = await this.deps.idempotency.claim(context.apiKeyId, context.idempotencyKey, body, () => newAcceptance(count));
    const { ids, acceptedAt } = acceptedRecords(acceptance, count);
    const messages = sentMessages.map((sent, index) => acceptedMessage(sent, ids[index] as string, acceptedAt));
    const dynamics = sentDynamics.map((sent, index) => acceptedDynamic(sent, ids[sentMessages.length + index] as string, acceptedAt));
    // A retry re-enqueues the same ids: the store ignores an id it holds.
    await this.deps.queue.enqueue({ messages, dynamics }, context.requestId);
    this.deps.apiMetrics.messagesAccepted.inc(messages.length);
    this.deps.apiMetrics.dynamicsAccepted.inc(dynamics.length);
    return { ids: { messages: messages.map((m) => m.id), dynamics: dynamics.map((d) => d.id) }, status: 'queued' };
  }
}

