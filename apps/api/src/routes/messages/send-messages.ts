import { NEW_MESSAGE_STATE, newRecordId, type Message, type SendMessageBody, type SendMessageResponse } from '@notify/contracts';
import { withDeadline } from '../../errors/with-deadline.js';
import type { SendContext, SendDeps } from '../send-context.js';

/** The accepted ids and the moment of acceptance, which a retry with the same key reuses. */
interface Acceptance {
  ids: string[];
  acceptedAt: string;
}

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
    const acceptance = await this.deps.idempotency.claim<Acceptance>(
      context.apiKeyId,
      context.idempotencyKey,
      body,
      () => ({ ids: receivers.map(() => newRecordId()), acceptedAt: new Date().toISOString() }),
    );
    const messages = receivers.map((receiverID, index) =>
      toMessage(body, receiverID, acceptance.ids[index] as string, acceptance.acceptedAt),
    );
    // A retry re-enqueues the same ids: BullMQ ignores a job id it still holds, the store ignores a stored id.
    await this.deps.queue.enqueueMessages(messages, context.requestId);
    this.deps.apiMetrics.messagesAccepted.inc(messages.length);
    return { ids: acceptance.ids, status: 'queued' };
  }
}

function toMessage(body: SendMessageBody, receiverID: string, id: string, acceptedAt: string): Message {
  const { receiverID: _one, receiverIDs: _many, date, ...fields } = body;
  return { id, ...fields, receiverID, date: date ?? acceptedAt, ...NEW_MESSAGE_STATE };
}
