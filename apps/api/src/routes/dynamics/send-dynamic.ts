import type { SendDynamicBody, SendDynamicResponse } from '@notify/contracts';
import { withDeadline } from '../../errors/with-deadline.js';
import { acceptedDynamic, acceptedRecords, newAcceptance } from '../acceptance.js';
import type { SendContext, SendDeps } from '../send-context.js';

/** `POST /v1/dynamics` (and `/push`): one operation-log entry for a company's feed. */
export class SendDynamic {
  constructor(private readonly deps: SendDeps) {}

  /** Accepts the dynamic, or fails with 503 once UNAVAILABLE_AFTER_MS have passed. */
  execute(body: SendDynamicBody, context: SendContext): Promise<SendDynamicResponse> {
    return withDeadline(this.accept(body, context), this.deps.config.UNAVAILABLE_AFTER_MS, 'Redis');
  }

  private async accept(body: SendDynamicBody, context: SendContext): Promise<SendDynamicResponse> {
    const acceptance = await this.deps.idempotency.claim(context.apiKeyId, context.idempotencyKey, body, () => newAcceptance(1));
    const { ids, acceptedAt } = acceptedRecords(acceptance, 1);
    const id = ids[0] as string;
    await this.deps.queue.enqueue({ dynamics: [acceptedDynamic(body, id, acceptedAt)] }, context.requestId);
    this.deps.apiMetrics.dynamicsAccepted.inc();
    return { id, status: 'queued' };
  }
}
