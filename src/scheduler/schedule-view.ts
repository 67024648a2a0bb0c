/** Schedules and occurrences as the CLI's `--json` and the API show them (shapes in core/contract). */
import type { OccurrenceView, ScheduleView } from "../core/contract/schedules.ts";
import type { OccurrenceRecord, ScheduleRecord } from "../store/index.ts";
import { formatDurationSpec } from "./duration.ts";
import { describeRhythm, Occurrences, type Timing } from "./timing.ts";
import { formatActiveHours, formatDays } from "./window.ts";

export function viewSchedule(schedule: ScheduleRecord, now: number): ScheduleView {
  const timing = schedule.timing as Timing;
  const next =
    schedule.status === "active" ? new Occurrences(timing).next(Math.max(schedule.cursor, now)) : null;
  return {
    id: schedule.id,
    scraper: schedule.scraper,
    source: schedule.source,
    kind: timing.rhythm.kind,
    when: describeRhythm(timing.rhythm),
    zone: timing.zone,
    activeHours: timing.activeHours ? formatActiveHours(timing.activeHours) : null,
    days: timing.days ? formatDays(timing.days) : null,
    catchUp: schedule.catchUp,
    grace: formatDurationSpec(schedule.graceMs),
    overlap: schedule.overlap,
    maxFailures: schedule.maxFailures,
    retries: schedule.retries,
    jitter: schedule.jitterMs > 0 ? formatDurationSpec(schedule.jitterMs) : null,
    status: schedule.status,
    pausedReason: schedule.pausedReason,
    failuresInARow: schedule.failures,
    next: next === null ? null : new Date(next).toISOString(),
    createdAt: new Date(schedule.createdAt).toISOString(),
  };
}

export function viewOccurrence(o: OccurrenceRecord): OccurrenceView {
  const iso = (at: number | null) => (at === null ? null : new Date(at).toISOString());
  return {
    schedule: o.scheduleId,
    due: new Date(o.dueAt).toISOString(),
    attempt: o.attempt,
    kind: o.kind,
    status: o.status,
    reason: o.reason,
    run: o.runId,
    startedAt: iso(o.startedAt),
    finishedAt: iso(o.finishedAt),
    durationMs: o.startedAt !== null && o.finishedAt !== null ? o.finishedAt - o.startedAt : null,
  };
}
