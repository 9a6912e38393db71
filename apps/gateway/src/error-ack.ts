import { ErrorCode, type ApiErrorBody, type Issue } from '@notify/contracts';

/** The `{"error": {...}}` body sent in socket acks, the same shape the HTTP api answers with. */
export function errorAck(code: ErrorCode, message: string, issues?: Issue[]): ApiErrorBody {
  return { error: issues ? { code, message, issues } : { code, message } };
}

/** Calls a client's ack callback if it sent one; clients are free not to. */
export function replyTo<T>(ack: unknown): (result: T) => void {
  return typeof ack === 'function' ? (ack as (result: T) => void) : () => undefined;
}
