import { newRecordId, type Dynamic, type SendDynamicBody, type SendDynamicResponse } from '@notify/contracts';
import type { IdempotencyKeys } from '../../idempotency/idempotency-keys.js';
import type { NotificationQueue } from '../../queue/notification-queue.js';
import type { SendContext } from '../messages/send-messages.js';

/** `POST /v1/dynamics`: one operation-log entry for a company's feed. */
export class SendDynamic {
  constructor(private readonly deps: { queue: NotificationQueue; idempotency: IdempotencyKeys }) {}

  async execute(body: SendDynamicBody, context: SendContext): Promise<SendDynamicResponse> {
    const acceptance = await this.deps.idempotency.claim(context.apiKeyId, context.idempotencyKey, body, () => ({
      id: newRecordId(),
      acceptedAt: new Date().toISOString(),
    }));
    const dynamic: Dynamic = { id: acceptance.id, ...body, date: body.date ?? acceptance.acceptedAt };
    await this.deps.queue.enqueueDynamic(dynamic, context.requestId);
    return { id: acceptance.id, status: 'queued' };
  }
}
