/**
 * The activity feed's rows, shared SQL fragments and mapping: one definition for both backends
 * (sqlite-activity.ts, pg-activity.ts).
 */
import type { ActivityKind } from "../core/contract/activity.ts";
import type { RunStatus } from "../core/index.ts";
import { camelRow } from "./camel-row.ts";
import type { ActivityRecord } from "./types.ts";

/** Columns every feed query selects. */
export interface FeedRow {
  id: string;
  at: number;
  kind: ActivityKind;
  run_id: string | null;
  schedule_id: string | null;
  scraper: string | null;
  status: string | null;
  records: number | null;
  message: string | null;
}

/** A run with an error or failed requests, as the errors list reads it. */
export interface ErrorRow {
  id: string;
  scraper: string;
  status: RunStatus;
  at: number;
  error: string | null;
  failed: number;
}

/** Records of a run's last completed step (its output so far). */
export const LAST_RECORDS = `(SELECT records_out FROM steps s WHERE s.run_id = runs.id AND s.status = 'done'
                        ORDER BY s.idx DESC LIMIT 1)`;

/** The feed kind of a schedule occurrence: skipped, failed to start a run, or fired. */
export const OCCURRENCE_KIND = `CASE WHEN o.status = 'skipped' THEN 'schedule.skipped'
                              WHEN o.run_id IS NULL THEN 'schedule.failed' ELSE 'schedule.fired' END`;

/** The feed entry of a row. */
export function toActivity(row: FeedRow): ActivityRecord {
  return camelRow(row);
}
