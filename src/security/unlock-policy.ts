/**
 * The attempt limits of unlocking (issue 15, item 4): after 5 failures in a row each attempt waits
 * 1 s, 2 s, 4 s, … (at most 15 minutes) after the last failure; after 100 failures in a row
 * (NIST SP 800-63B's ceiling) unlocking is disabled until `trawl security unlock-reset`.
 */
import type { LockState } from "../store/index.ts";

/** Failures in a row admitted without a delay. */
export const FREE_ATTEMPTS = 5;
/** The first delay and the longest one. */
export const FIRST_DELAY_MS = 1000;
export const MAX_DELAY_MS = 15 * 60_000;
/** Failures in a row after which unlocking is disabled. */
export const MAX_FAILURES = 100;

/** How long after the last failure the next attempt is admitted, with `failures` in a row so far. */
export function unlockDelayMs(failures: number): number {
  if (failures < FREE_ATTEMPTS) return 0;
  return Math.min(MAX_DELAY_MS, FIRST_DELAY_MS * 2 ** Math.min(30, failures - FREE_ATTEMPTS));
}

/** Whether an attempt now is refused, and until when. */
export type AttemptVerdict =
  { kind: "admit" } | { kind: "wait"; retryAfterMs: number } | { kind: "disabled" };

/** What the policy says of an attempt at `now` in state `state`. */
export function attemptVerdict(state: LockState, now: number): AttemptVerdict {
  if (state.failures >= MAX_FAILURES) return { kind: "disabled" };
  const delay = unlockDelayMs(state.failures);
  // Never more than the delay itself: a clock set back must not stretch it.
  const wait =
    delay === 0 || state.lastFailureAt === null ? 0 : Math.min(delay, state.lastFailureAt + delay - now);
  return wait > 0 ? { kind: "wait", retryAfterMs: wait } : { kind: "admit" };
}
