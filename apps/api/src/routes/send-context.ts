import type { Request, Response } from 'express';
import type { ApiConfig } from '@notify/config';
import type { IdempotencyKeys } from '../idempotency/idempotency-keys.js';
import type { ApiMetrics } from '../metrics/api-metrics.js';
import type { NotificationQueue } from '../queue/notification-queue.js';

/** Who is sending and how to trace it: what the send use cases need from the request. */
export interface SendContext {
  /** Scopes idempotency keys to the producer. */
  apiKeyId: string;
  idempotencyKey?: string;
  requestId?: string;
}

/** The {@link SendContext} of an authenticated request (`apiKeyAuth` and `requestId` ran before). */
export function sendContextOf(req: Request, res: Response): SendContext {
  return {
    apiKeyId: res.locals.apiKeyId as string,
    idempotencyKey: req.get('idempotency-key'),
    requestId: res.locals.requestId as string,
  };
}

/** What the send use cases (`SendMessages`, `SendDynamic`) are built with. */
export interface SendDeps {
  queue: NotificationQueue;
  idempotency: IdempotencyKeys;
  apiMetrics: ApiMetrics;
  /** The whole acceptance (idempotency claim + enqueue) answers within UNAVAILABLE_AFTER_MS. */
  config: Pick<ApiConfig, 'UNAVAILABLE_AFTER_MS'>;
}
