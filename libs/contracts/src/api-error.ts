import { z } from 'zod';

/** Stable error codes in the api's error body and in socket acks. */
export const ErrorCode = {
  invalidInput: 'invalid_input',
  unauthorized: 'unauthorized',
  notFound: 'not_found',
  payloadTooLarge: 'payload_too_large',
  idempotencyConflict: 'idempotency_conflict',
  unavailable: 'unavailable',
  rateLimited: 'rate_limited',
  internal: 'internal',
} as const;
export type ErrorCode = (typeof ErrorCode)[keyof typeof ErrorCode];

export const Issue = z.object({ path: z.string(), message: z.string() });
export type Issue = z.infer<typeof Issue>;

/** `{"error": {"code", "message", "issues"?}}`: every 4xx/5xx body and every error ack. */
export const ApiErrorBody = z.object({
  error: z.object({
    code: z.enum(Object.values(ErrorCode) as [ErrorCode, ...ErrorCode[]]),
    message: z.string(),
    issues: z.array(Issue).optional(),
  }),
});
export type ApiErrorBody = z.infer<typeof ApiErrorBody>;

/** Every problem of a failed zod parse, as `{path, message}` with dotted paths. */
export function toIssues(error: z.ZodError): Issue[] {
  return error.issues.flatMap((issue) => {
    const path = issue.path.map(String).join('.');
    // One issue per unknown field, named by its own path, so a typo like `receiverId` is easy to spot.
    if (issue.code === 'unrecognized_keys') {
      return issue.keys.map((key) => ({ path: path ? `${path}.${key}` : key, message: 'is not a known field' }));
    }
    return [{ path, message: issue.message }];
  });
}
