/**
 * What the CLI and the API do to a schedule, in one place: find it, edit it, pause, resume, run it
 * now, list its next occurrences.
 */
import { scheduleError } from "./errors.ts";
import type { ScheduleRecord, ScheduleStore } from "../store/index.ts";
import { FLAG_NAMES, type FieldNames } from "./field-names.ts";
import { policyFromFlags, type PolicyFlags } from "./schedule-settings.ts";
import { hasRhythmFlag, timingFromFlags, type TimingFlags } from "./timing-options.ts";
import { Occurrences, type Timing } from "./timing.ts";

export async function requireSchedule(store: ScheduleStore, id: string): Promise<ScheduleRecord> {
  const schedule = await store.get(id);
  if (!schedule) throw scheduleError("TRAWL_ERR_SCHEDULE_NOT_FOUND", { id }, { details: { id } });
  return schedule;
}

/**
 * Applies timing and policy flags to a schedule (unset ones keep their value). A new timing
 * counts from `now`: nothing from the past fires. Usage error when the flags change nothing;
 * errors name the settings by `names`.
 */
export async function editSchedule(
  store: ScheduleStore,
  schedule: ScheduleRecord,
  flags: TimingFlags & PolicyFlags,
  now: number,
  names: FieldNames = FLAG_NAMES,
): Promise<void> {
  const patch = policyFromFlags(flags, names);
  const timingChanged =
    hasRhythmFlag(flags) ||
    flags.tz !== undefined ||
    flags.activeHours !== undefined ||
    flags.days !== undefined;
  if (timingChanged) {
    patch.timing = timingFromFlags(flags, now, schedule.timing as Timing, names);
    patch.cursor = now;
  }
  if (Object.keys(patch).length === 0) {
    throw scheduleError(
      "TRAWL_ERR_SCHEDULE_USAGE",
      `nothing to change: give a timing or policy ${names.noun}`,
    );
  }
  await store.update(schedule.id, patch, now);
}

export async function pauseSchedule(
  store: ScheduleStore,
  id: string,
  reason: string,
  now: number,
): Promise<void> {
  await store.update(id, { status: "paused", pausedReason: reason }, now);
}

/** Fires again from `now` on: occurrences while it was paused are not caught up; the failure count restarts. */
export async function resumeSchedule(store: ScheduleStore, id: string, now: number): Promise<void> {
  await store.update(id, { status: "active", pausedReason: null, failures: 0, cursor: now }, now);
}

/** Queues a manual occurrence due now; the leading scheduler starts it. */
export async function runScheduleNow(store: ScheduleStore, id: string, now: number): Promise<void> {
  await store.claim(
    {
      scheduleId: id,
      dueAt: now,
      attempt: 0,
      kind: "manual",
      status: "waiting",
      reason: null,
      startAfter: now,
      claimedBy: null,
    },
    now,
  );
}

/** The next `count` occurrences of an active schedule as ISO instants; none while it is paused. */
export function upcomingOf(schedule: ScheduleRecord, now: number, count: number): string[] {
  if (schedule.status !== "active") return [];
  return new Occurrences(schedule.timing as Timing)
    .upcoming(Math.max(schedule.cursor, now), count)
    .map((at) => new Date(at).toISOString());
}
