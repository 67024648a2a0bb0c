/**
 * When to try a failed request again, and after how long: the one authority on retries. Plain
 * data (as Scrapy's `RETRY_HTTP_CODES`: the statuses and reasons that retry) read by one
 * function, {@link isRetryable}, so the policy can be read, logged and changed without touching
 * the fetch loop.
 */
import type { ReasonCode } from "./types.ts";

/** A retry policy. */
export interface RetryPolicy {
  /** Attempts beyond the first. @defaultValue 3 */
  retries: number;
  /** Backoff ceiling of the first retry; doubles each retry. @defaultValue 500 */
  baseDelayMs: number;
  /** Backoff ceiling never exceeds this. @defaultValue 30000 */
  maxDelayMs: number;
  /** A `Retry-After` longer than this gives up instead of waiting. @defaultValue 120000 */
  maxRetryAfterMs: number;
  /** Failure reasons without an HTTP status worth another try. */
  retryReasons: readonly ReasonCode[];
  /** HTTP statuses worth another try; any other status fails at once. */
  retryStatuses: readonly number[];
}

/**
 * Network trouble (timeouts, resets, truncated bodies, refused connections), 408, 429 and the
 * 5xx statuses of an overloaded or unreachable server retry; nothing else does. 501 (not
 * implemented) and 505 (HTTP version) are not in it: no retry changes them.
 */
export const DEFAULT_RETRY_POLICY: Readonly<RetryPolicy> = Object.freeze({
  retries: 3,
  baseDelayMs: 500,
  maxDelayMs: 30_000,
  maxRetryAfterMs: 120_000,
  retryReasons: Object.freeze([
    "timeout",
    "reset",
    "truncated",
    "refused",
    "network",
    // Through several proxies, the retry goes through another one.
    "proxy_refused",
    "proxy_error",
  ] as ReasonCode[]),
  retryStatuses: Object.freeze([408, 429, 500, 502, 503, 504, 507, 520, 521, 522, 523, 524]),
});

/** What the policy needs to know about a failure (a `FetchError` fits). */
export interface RetryableFailure {
  reason: ReasonCode;
  status?: number;
  /** `Retry-After` of the response, in ms. */
  retryAfterMs?: number;
  /**
   * The error's own verdict, where it knows better than any list: `true` for a DNS failure
   * that says it is temporary (`EAI_AGAIN`), `false` for what no retry can fix (robots.txt,
   * a bad URL, a redirect loop, a cancelled request). Absent: the policy decides.
   */
  retryable?: boolean;
}

/**
 * Whether `failure` is worth another try under `policy`: its own verdict if it has one, else
 * whether its status is in `retryStatuses` or its reason in `retryReasons`.
 */
export function isRetryable(policy: RetryPolicy, failure: RetryableFailure): boolean {
  if (failure.retryable !== undefined) return failure.retryable;
  if (failure.status !== undefined && policy.retryStatuses.includes(failure.status)) return true;
  return policy.retryReasons.includes(failure.reason);
}

/** What {@link decideRetry} decided: wait and try again, or give up and why. */
export type RetryDecision =
  | {
      retry: true;
      /** Milliseconds to wait before the next attempt. */
      delayMs: number;
      /** What the delay is: the backoff drawn, or the server's `Retry-After` when longer. */
      basis: "backoff" | "retry-after";
      /** The backoff's ceiling this time (the delay is drawn at random below it). */
      ceilingMs: number;
    }
  | {
      retry: false;
      /** `spent`: no retries left; `permanent`: not worth another try; `retry-after`: too long. */
      why: "spent" | "permanent" | "retry-after";
    };

/**
 * Whether to try again after attempt `attempt` (0 = the first try) failed, and after how long.
 * Gives up when the failure is not retryable ({@link isRetryable}), when retries are spent, or
 * when `Retry-After` exceeds `maxRetryAfterMs`. The delay is exponential backoff with full
 * jitter, `random() * min(maxDelayMs, baseDelayMs * 2^attempt)`, but never less than `Retry-After`.
 */
export function decideRetry(
  policy: RetryPolicy,
  failure: RetryableFailure,
  attempt: number,
  random: () => number = Math.random,
): RetryDecision {
  if (!isRetryable(policy, failure)) return { retry: false, why: "permanent" };
  if (attempt >= policy.retries) return { retry: false, why: "spent" };
  const retryAfter = failure.retryAfterMs ?? 0;
  if (retryAfter > policy.maxRetryAfterMs) return { retry: false, why: "retry-after" };
  const ceilingMs = Math.min(policy.maxDelayMs, policy.baseDelayMs * 2 ** attempt);
  const backoff = Math.floor(random() * ceilingMs);
  return retryAfter > backoff
    ? { retry: true, delayMs: retryAfter, basis: "retry-after", ceilingMs }
    : { retry: true, delayMs: backoff, basis: "backoff", ceilingMs };
}

/**
 * Milliseconds to wait before retry number `attempt + 1`, or `null` to give up: the delay of
 * {@link decideRetry}.
 */
export function retryDelay(
  policy: RetryPolicy,
  failure: RetryableFailure,
  attempt: number,
  random: () => number = Math.random,
): number | null {
  const decision = decideRetry(policy, failure, attempt, random);
  return decision.retry ? decision.delayMs : null;
}
