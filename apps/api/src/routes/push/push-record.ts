import type { Redis } from 'ioredis';
import type { ApiConfig } from '@notify/config';
import { isUserOnline } from '@notify/presence';
import { withDeadline } from '../../errors/with-deadline.js';
import type { SendDynamic } from '../dynamics/send-dynamic.js';
import type { SendMessages } from '../messages/send-messages.js';
import type { SendContext } from '../send-context.js';
import type { PushAnswer, PushFields } from './push-fields.js';

export interface PushRecordDeps {
  sendMessages: SendMessages;
  sendDynamic: SendDynamic;
  redis: Redis;
  config: Pick<ApiConfig, 'REDIS_PREFIX' | 'UNAVAILABLE_AFTER_MS'>;
}

/**
 * `GET|POST /push`: one record from the older push port, accepted by the same use cases as `/v1`.
 * A message answers whether its receiver has a page open in that company; a dynamic is just `ok`.
 */
export class PushRecord {
  constructor(private readonly deps: PushRecordDeps) {}

  async execute(fields: PushFields, context: SendContext): Promise<PushAnswer> {
    if (fields.action === 'dynamic') {
      const { action: _action, key: _key, ...dynamic } = fields;
      await this.deps.sendDynamic.execute(dynamic, context);
      return 'ok';
    }
    const { action: _action, key: _key, ...message } = fields;
    const { REDIS_PREFIX, UNAVAILABLE_AFTER_MS } = this.deps.config;
    // Asked before enqueueing, so that when Redis fails here nothing was enqueued and `fail` is true.
    const online = isUserOnline(this.deps.redis, REDIS_PREFIX, message.companyID, message.receiverID);
    const isOnline = await withDeadline(online, UNAVAILABLE_AFTER_MS, 'Redis');
    await this.deps.sendMessages.execute(message, context);
    return isOnline ? 'ok' : 'offline';
  }
}
