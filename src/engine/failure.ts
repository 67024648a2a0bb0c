import { describeError } from "../core/index.ts";

/**
 * How a failed request is recorded. Fetch errors carry their reason code and status; anything
 * else thrown while handling a page (a parser bug, a hook that throws) is `parse_error`.
 */
export function failureOf(error: unknown): { reason: string; httpStatus?: number; error: string } {
  const e = error as { reason?: unknown; status?: unknown };
  const reason = typeof e?.reason === "string" ? e.reason : "parse_error";
  const httpStatus = typeof e?.status === "number" ? e.status : undefined;
  return { reason, ...(httpStatus !== undefined && { httpStatus }), error: describeError(error) };
}
