import { ApiErrorBody, Issue } from '@notify/contracts';

/**
 * The api answered with an error status (4xx, 5xx). `code`, `message` and `issues` are the api's
 * own (`{"error": {code, message, issues}}`); when the body is not that shape (a proxy's error
 * page, say), `code` is `http_<status>` and `body` holds what came.
 */
export class NotifyApiError extends Error {
  override readonly name = 'NotifyApiError';
  /** The api's error code, e.g. `invalid_input` (see `ErrorCode` in the contracts), else `http_<status>`. */
  readonly code: string;
  /** Every problem of an invalid request (400), as `{path, message}`; empty when none were given. */
  readonly issues: readonly Issue[];

  constructor(
    readonly status: number,
    /** The answer's body: parsed JSON, or text when it was not JSON. */
    readonly body: unknown,
    /** What was asked, e.g. `POST /v1/messages`. */
    readonly request: string,
  ) {
    const error = readErrorBody(body);
    super(`${request} answered ${status}: ${error?.message ?? `unexpected answer ${preview(body)}`}`);
    this.code = error?.code ?? `http_${status}`;
    this.issues = error?.issues ?? [];
  }
}

/** The api's error body, also when its code is one this client does not know yet (a newer api). */
function readErrorBody(body: unknown): { code: string; message: string; issues?: Issue[] } | undefined {
  const known = ApiErrorBody.safeParse(body);
  if (known.success) return known.data.error;
  if (typeof body !== 'object' || body === null || !('error' in body)) return undefined;
  const error = body.error as Record<string, unknown> | null;
  if (typeof error?.code !== 'string' || typeof error.message !== 'string') return undefined;
  const issues = Issue.array().safeParse(error.issues);
  return { code: error.code, message: error.message, issues: issues.success ? issues.data : undefined };
}

function preview(body: unknown): string {
  const text = typeof body === 'string' ? body : JSON.stringify(body);
  return text.length > 200 ? `${text.slice(0, 200)}…` : text;
}
