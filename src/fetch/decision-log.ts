/**
 * The log lines of the fetch layer's decisions: a retry and its wait, a host's rate cut or
 * `Retry-After` block, its rate back at the maximum. One place for their wording, so the lines read alike.
 */
import type { FetchError } from "./errors.ts";
import type { RateChange } from "./rate-limiter.ts";
import type { RetryDecision, RetryPolicy } from "./retry-policy.ts";

/** A log line: level and message. */
export interface DecisionLine {
  level: "debug" | "info" | "warn";
  message: string;
}

/** `1000 ms`, `1.5 s`, `2 min`: a wait as a user reads it. */
export function describeWait(ms: number): string {
  if (ms < 1000) return `${Math.round(ms)} ms`;
  if (ms < 120_000) return `${Number((ms / 1000).toFixed(1))} s`;
  return `${Number((ms / 60_000).toFixed(1))} min`;
}

/** Requests/second with at most two decimals: `500`, `0.16`. */
function describeRate(rate: number): string {
  return String(Number(rate.toFixed(2)));
}

/** `HTTP 429`, or the reason code of a failure without a status (`timeout`, `reset`). */
export function failureCause(failure: FetchError): string {
  return failure.status !== undefined ? `HTTP ${failure.status}` : failure.reason;
}

/**
 * The line of a retry: `URL: attempt 1 of 4 failed (HTTP 503); retrying in 312 ms (backoff:
 * random up to 500 ms)`, or `…, as its Retry-After asks` when the server set the wait.
 */
export function retryLine(
  url: string,
  failure: FetchError,
  attemptNo: number,
  policy: RetryPolicy,
  decision: Extract<RetryDecision, { retry: true }>,
): DecisionLine {
  const wait = describeWait(decision.delayMs);
  const basis =
    decision.basis === "retry-after"
      ? ", as its Retry-After asks"
      : ` (backoff: random up to ${describeWait(decision.ceilingMs)})`;
  const attempt = `attempt ${attemptNo + 1} of ${policy.retries + 1}`;
  return {
    level: "info",
    message: `${url}: ${attempt} failed (${failureCause(failure)}); retrying in ${wait}${basis}`,
  };
}

/**
 * Why a retryable failure was not retried when retries were left: its `Retry-After` asks for a
 * longer wait than the policy allows.
 */
export function retryAfterTooLong(failure: FetchError, policy: RetryPolicy): string {
  return (
    `its Retry-After of ${describeWait(failure.retryAfterMs ?? 0)} is longer than the ` +
    `${describeWait(policy.maxRetryAfterMs)} a retry waits at most`
  );
}

/**
 * The line of a host's pace change: a cut or block is a warning (the site pushes back: slow
 * down, or expect a long run); the rate back at its maximum is info.
 */
export function rateChangeLine(change: RateChange): DecisionLine {
  const { host, status, previousRate, rate, blockedForMs, verdict, sinceCutMs } = change;
  if (status === undefined) {
    const after = describeWait(sinceCutMs ?? 0);
    return {
      level: "info",
      message: `${host}: rate back at ${describeRate(rate)} requests/s, its maximum, ${after} after it was cut to ${describeRate(previousRate)}`,
    };
  }
  const parts: string[] = [];
  if (verdict === "cut" && rate !== previousRate)
    parts.push(`rate cut from ${describeRate(previousRate)} to ${describeRate(rate)} requests/s`);
  if (blockedForMs !== undefined)
    parts.push(`no requests to it for ${describeWait(blockedForMs)} (Retry-After)`);
  parts.push(...rateKept(verdict, rate, previousRate));
  return { level: "warn", message: `${host} answered HTTP ${status}: ${parts.join("; ")}` };
}

/** Why a throttle left the rate as it was, if it did. */
function rateKept(verdict: RateChange["verdict"], rate: number, previousRate: number): string[] {
  const kept = `rate stays at ${describeRate(rate)} requests/s`;
  if (verdict === "alone") return [`${kept}: one throttle after a quiet spell, the wait is enough`];
  if (verdict === "answered") return [`${kept}, cut already for this overload`];
  return rate === previousRate ? [`${kept}, its minimum`] : [];
}
