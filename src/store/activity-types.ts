/** Storage contract of the activity feed and the recent errors, read from runs and schedule history. */
import type { ActivityKind } from "../core/contract/activity.ts";
import type { FailureGroup } from "../core/contract/runs.ts";
import type { RunStatus } from "../core/index.ts";

/** One entry of the activity feed, derived from what is stored (runs, schedule occurrences). */
export interface ActivityRecord {
  /** Stable across reads: the kind and what it is about (`run.finished:RUN-…`). */
  id: string;
  at: number;
  kind: ActivityKind;
  runId: string | null;
  scheduleId: string | null;
  scraper: string | null;
  /** The run's status (run entries), the occurrence's (schedule entries), `paused` (schedule.paused). */
  status: string | null;
  /** Records of a finished run's last completed step; null when none completed. */
  records: number | null;
  /** A failed run's error, why an occurrence was skipped or failed, why a schedule is paused. */
  message: string | null;
}

/** Where a page of the activity feed ends: the next page is strictly older. */
export interface ActivityCursor {
  at: number;
  id: string;
}

/** A run that failed or has failed requests, as the recent errors list it. */
export interface RunErrorRecord {
  runId: string;
  scraper: string;
  status: RunStatus;
  /** When it ended, or last changed while it runs. */
  at: number;
  error: string | null;
  failedRequests: number;
  failures: FailureGroup[];
}

/**
 * What happened, read from the stored runs and schedule history: nothing of its own is stored,
 * so the feed covers every process that shares the database, and the past before it existed.
 */
export interface ActivityStore {
  /** Entries newest first (by `at`, then `id`), older than `before`; at most `limit` (default 50). */
  feed(options?: { before?: ActivityCursor; limit?: number }): Promise<ActivityRecord[]>;
  /** Runs that failed or have failed requests, newest first (by `at`, then run id), older than `before`. */
  errors(options?: { before?: ActivityCursor; limit?: number }): Promise<RunErrorRecord[]>;
}
