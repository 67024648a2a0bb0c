/**
 * The rows of the schedule tables and how they map to records: one shape for both backends
 * (sqlite-schedules.ts, pg-schedules.ts), as the schema is one.
 */
import { camelRow } from "./camel-row.ts";
import type { OccurrenceRecord, OccurrenceStatus, SchedulePatch, ScheduleRecord } from "./schedule-types.ts";

/** Column of each `ScheduleRecord` field a patch may change (the rest map by the snake_case rule). */
export const SCHEDULE_COLUMNS: Record<keyof SchedulePatch, string> = {
  timing: "timing",
  catchUp: "catch_up",
  graceMs: "grace_ms",
  overlap: "overlap",
  maxFailures: "max_failures",
  retries: "retries",
  jitterMs: "jitter_ms",
  status: "status",
  pausedReason: "paused_reason",
  failures: "failures",
  cursor: "cursor",
};

/** Column of each `OccurrenceRecord` field a patch may change. */
export const OCCURRENCE_COLUMNS = {
  status: "status",
  reason: "reason",
  runId: "run_id",
  startedAt: "started_at",
  finishedAt: "finished_at",
} as const;

/** A `schedules` row. */
export interface ScheduleRow {
  id: string;
  scraper: string;
  source: string;
  timing: string;
  catch_up: ScheduleRecord["catchUp"];
  grace_ms: number;
  overlap: ScheduleRecord["overlap"];
  max_failures: number;
  retries: number;
  jitter_ms: number;
  status: ScheduleRecord["status"];
  paused_reason: string | null;
  failures: number;
  cursor: number;
  created_at: number;
  updated_at: number;
}

export function toSchedule(row: ScheduleRow): ScheduleRecord {
  return { ...camelRow(row), timing: JSON.parse(row.timing) as unknown };
}

/** A `schedule_occurrences` row. */
export interface OccurrenceRow {
  schedule_id: string;
  due_at: number;
  attempt: number;
  kind: OccurrenceRecord["kind"];
  status: OccurrenceStatus;
  reason: string | null;
  run_id: string | null;
  start_after: number;
  claimed_by: string | null;
  created_at: number;
  started_at: number | null;
  finished_at: number | null;
}

export function toOccurrence(row: OccurrenceRow): OccurrenceRecord {
  return camelRow(row);
}

/** A `scheduler_processes` row. */
export interface ProcessRow {
  owner: string;
  pid: number;
  host: string;
  started_at: number;
  heartbeat_at: number;
  checked_at: number | null;
  schedules_checked: number;
  runs_started: number;
  next_due_at: number | null;
}
