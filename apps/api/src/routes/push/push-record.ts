import type { RedisClient } from '@notify/redis';
import type { SendMessageBody } from '@notify/contracts';
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
  redis: RedisClient;
  config: Pick<ApiConfig, 'REDIS_PREFIX' | 'UNAVAILABLE_AFTER_MS' | 'PUSH_DEFAULT_COMPANY_ID'>;
}

type PushMessage = Extract<PushFields, { action: 'message' }>;

/**
 * `GET|POST /push`: one record from the older push port, accepted by the same use cases as `/v1`.
 * A message answers whether its receiver has a page open in that company; a dynamic is just `ok`.
 * The idempotency key is the header's, else the `idempotencyKey` field's.
 */
export class PushRecord {
  constructor(private readonly deps: PushRecordDeps) {}

  async execute(fields: PushFields, context: SendContext): Promise<PushAnswer> {
    const { key: _key, token: _token, idempotencyKey, ...record } = fields;
    const keyed: SendContext = { ...context, idempotencyKey: context.idempotencyKey ?? idempotencyKey };
    if (record.action === 'dynamic') {
      const { action: _action, ...dynamic } = record;
      await this.deps.sendDynamic.execute(dynamic, keyed);
      return 'ok';
    }
    const message = this.toMessageBody(record);
    const { REDIS_PREFIX, UNAVAILABLE_AFTER_MS } = this.deps.config;
    // Asked before enqueueing: when Redis fails here, nothing was sent to it but this read.
    const online = isUserOnline(this.deps.redis, REDIS_PREFIX, message.companyID, message.receiverID);
    const isOnline = await withDeadline(online, UNAVAILABLE_AFTER_MS, 'Redis');
    await this.deps.sendMessages.execute(message, keyed);
    return isOnline ? 'ok' : 'offline';
  }

  /** The `/v1/messages` body of an older backend's message: its company, and the sender by its newer names. */
  private toMessageBody(fields: Omit<PushMessage, 'key' | 'token' | 'idempotencyKey'>): SendMessageBody & { companyID: string; receiverID: string } {
    const { action: _action, operatorID, operator, companyID, ...message } = fields;
    const senderID = message.senderID ?? operatorID;
    const sender = message.sender ?? operator;
    return {
      ...message,
      companyID: companyID ?? this.deps.config.PUSH_DEFAULT_COMPANY_ID,
      // Left out rather than undefined: the idempotency fingerprint and the stored record omit absent fields.
      ...(senderID === undefined ? {} : { senderID }),
      ...(sender === undefined ? {} : { sender }),
    };
  }
}
