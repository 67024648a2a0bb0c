/** What the end of a scheduled run does to its schedule: failure count, pause, retry with backoff. */
import type { OccurrenceRecord } from "../store/index.ts";
import { formatDurationSpec } from "./duration.ts";
import type { RunOutcome, SchedulerContext } from "./types.ts";

/** Backoff of the first retry of a failed occurrence; each further retry waits twice as long. */
export const RETRY_BASE_MS = 60_000;
const MAX_RETRY_DELAY_MS = 3_600_000;

/**
 * Records how an occurrence's run ended. A success resets the failure count; a failure counts,
 * claims a retry with backoff while retries are left, and pauses the schedule after
 * `maxFailures` in a row. A stopped or cancelled run counts neither way.
 */
export async function recordOutcome(
  context: SchedulerContext,
  scheduleId: string,
  occurrence: OccurrenceRecord,
  outcome: RunOutcome,
): Promise<void> {
  const { schedules, clock, log } = context;
  const now = clock.now();
  const schedule = await schedules.get(scheduleId);
  const key = { scheduleId, dueAt: occurrence.dueAt, attempt: occurrence.attempt };
  if (outcome.status === "succeeded") {
    await schedules.settle(
      key,
      { status: "succeeded", finishedAt: now },
      now,
      schedule ? { id: scheduleId, patch: { failures: 0 } } : undefined,
    );
    log("info", `${scheduleId}: occurrence ${iso(occurrence.dueAt)} succeeded`);
    return;
  }
  if (outcome.status !== "failed") {
    await schedules.settle(
      key,
      { status: "stopped", reason: `the run ended ${outcome.status}`, finishedAt: now },
      now,
    );
    return;
  }
  const reason = outcome.error ?? "the run failed";
  if (!schedule) {
    await schedules.settle(key, { status: "failed", reason, finishedAt: now }, now);
    return;
  }
  const failures = schedule.failures + 1;
  const pause = failures >= schedule.maxFailures;
  await schedules.settle(key, { status: "failed", reason, finishedAt: now }, now, {
    id: scheduleId,
    patch: pause
      ? {
          failures,
          status: "paused",
          pausedReason: `paused after ${failures} failures in a row; last: ${reason}`,
        }
      : { failures },
  });
  log(
    pause ? "error" : "warn",
    `${scheduleId}: occurrence ${iso(occurrence.dueAt)} failed (${failures} in a row): ${reason}`,
  );
  if (pause) {
    log("error", `${scheduleId}: paused after ${failures} failures in a row`);
    return;
  }
  if (occurrence.attempt < schedule.retries) {
    await claimRetry(context, scheduleId, occurrence, schedule.retries, now);
  }
}

/** Claims the next attempt of a failed occurrence, to start after its backoff. */
async function claimRetry(
  context: SchedulerContext,
  scheduleId: string,
  occurrence: OccurrenceRecord,
  retries: number,
  now: number,
): Promise<void> {
  const delay = Math.min(MAX_RETRY_DELAY_MS, RETRY_BASE_MS * 2 ** occurrence.attempt);
  await context.schedules.claim(
    {
      scheduleId,
      dueAt: occurrence.dueAt,
      attempt: occurrence.attempt + 1,
      kind: "retry",
      status: "waiting",
      reason: null,
      startAfter: now + delay,
      claimedBy: context.owner,
    },
    now,
  );
  context.log(
    "info",
    `${scheduleId}: retry ${occurrence.attempt + 1} of ${retries} in ${formatDurationSpec(delay)}`,
  );
}

function iso(instant: number): string {
  return new Date(instant).toISOString();
}
