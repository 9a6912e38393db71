import { z } from 'zod';
/** Stable error codes in the api's error body and in socket acks. */
export const ErrorCode = {
    invalidInput: 'invalid_input',
    unauthorized: 'unauthorized',
    notFound: 'not_found',
    payloadTooLarge: 'payload_too_large',
    idempotencyConflict: 'idempotency_conflict',
    unavailable: 'unavailable',
    internal: 'internal',
};
export const Issue = z.object({ path: z.string(), message: z.string() });
/** `{"error": {"code", "message", "issues"?}}`: every 4xx/5xx body and every error ack. */
export const ApiErrorBody = z.object({
    error: z.object({
        code: z.enum(Object.values(ErrorCode)),
        message: z.string(),
        issues: z.array(Issue).optional(),
    }),
});
/** Every problem of a failed zod parse, as `{path, message}` with dotted paths. */
export function toIssues(error) {
    return error.issues.map((issue) => ({
        path: issue.path.map(String).join('.'),
        message: issue.message,
    }));
}
