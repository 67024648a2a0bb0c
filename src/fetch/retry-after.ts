/** Parsing of the `Retry-After` response header. */

/**
 * Milliseconds to wait from `now`, for a `Retry-After` value in delta-seconds (`120`) or as an
 * HTTP-date (`Wed, 21 Oct 2015 07:28:00 GMT`). A date in the past gives 0; a missing, negative or
 * unparsable value gives `undefined`.
 */
export function parseRetryAfter(value: string | undefined, now: number): number | undefined {
  const trimmed = value?.trim();
  if (!trimmed) return undefined;
  if (/^\d+$/.test(trimmed)) return Number(trimmed) * 1000;
  if (/^\d/.test(trimmed) || /^-/.test(trimmed)) return undefined;
  const date = Date.parse(trimmed);
  return Number.isNaN(date) ? undefined : Math.max(0, date - now);
}
