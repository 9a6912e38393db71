import { z } from 'zod';
import { SessionEndReason } from './names.js';

/** `refresh_token` payload: a fresh browser token for the socket's own uid and company. */
export const RefreshTokenPayload = z.strictObject({ token: z.string().min(1).max(4096) });
export type RefreshTokenPayload = z.infer<typeof RefreshTokenPayload>;

/** `refresh_token` ack on success: when the socket's session now expires (the new token's `exp`). */
export const RefreshTokenResult = z.object({ expiresAt: z.iso.datetime() });
export type RefreshTokenResult = z.infer<typeof RefreshTokenResult>;

/** `session_ended` payload: why the gateway is about to disconnect this socket. */
export const SessionEnded = z.object({
  reason: z.enum(Object.values(SessionEndReason) as [SessionEndReason, ...SessionEndReason[]]),
});
export type SessionEnded = z.infer<typeof SessionEnded>;
