import { ErrorCode, type ApiErrorBody, type Issue } from '@notify/contracts';

/**
 * At most this many issues go back in one ack: a payload with thousands of unknown keys would
 * otherwise be answered with an ack several times its own size.
 */
export const ACK_ISSUES_MAX = 20;

/** The `{"error": {...}}` body sent in socket acks, the same shape the HTTP api answers with. */
export function errorAck(code: ErrorCode, message: string, issues?: Issue[]): ApiErrorBody {
  return { error: issues ? { code, message, issues: issues.slice(0, ACK_ISSUES_MAX) } : { code, message } };
}
