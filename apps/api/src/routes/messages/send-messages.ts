import type { SendMessageBody, SendMessageResponse } from '@notify/contracts';
import { withDeadline } from '../../errors/with-deadline.js';
import { acceptedMessage, acceptedRecords, newAcceptance } from '../acceptance.js';
import type { SendContext, SendDeps } from '../send-context.js';

/** `POST /v1/messages` (and `/push`): one message per receiver, ids assigned now, all enqueued at once. */
export class SendMessages {
  constructor(private readonly deps: SendDeps) {}

  /** Accepts the message, or fails with 503 once UNAVAILABLE_AFTER_MS have passed. */
  execute(body: SendMessageBody, context: SendContext): Promise<SendMessageResponse> {
    return withDeadline(this.accept(body, context), this.deps.config.UNAVAILABLE_AFTER_MS, 'Redis');
  }

  private async accept(body: SendMessageBody, context: SendContext): Promise<SendMessageResponse> {
    // The same receiver listed twice gets the message once.
    const receivers = [...new Set(body.receiverIDs ?? [body.receiverID as string])];
    // A retry with the same key gets the same first id, so the same ids and acceptance time.
    const acceptance = await this.deps.idempotency.claim(context.apiKeyId, context.idempotencyKey, body, () => newAcceptance(receivers.length));
    const { ids, acceptedAt } = acceptedRecords(acceptance, receivers.length);
    const { receiverID: _one, receiverIDs: _many, ...fields } = body;
    const messages = receivers.map((receiverID, index) => acceptedMessage({ ...fields, receiverID }, ids[index] as string, acceptedAt));
    // A retry re-enqueues the same ids: the store ignores an id it holds (and BullMQ a lone record's job it still holds).
    await this.deps.queue.enqueue({ messages }, context.requestId);
    this.deps.apiMetrics.messagesAccepted.inc(messages.length);
    return { ids, status: 'queued' };
  }
}

