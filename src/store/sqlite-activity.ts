import { LAST_RECORDS, OCCURRENCE_KIND, toActivity, type ErrorRow, type FeedRow } from "./activity-rows.ts";
import type { SqliteDatabase } from "./database.ts";
import type { ActivityCursor, ActivityRecord, ActivityStore, FailureGroup, RunErrorRecord } from "./types.ts";

/*
 * Why derived, not stored: runs and schedule occurrences are written by every process that shares
 * the database (`trawl run`, the scheduler daemon, `trawl serve`) and already say when each run
 * started and ended and what each occurrence became. Reading the feed from them covers runs no
 * server saw, works on databases older than the feed, needs no second write on the engine's path,
 * cannot disagree with the runs it describes, and is bounded by what is kept of runs and history.
 * The price: a run's pauses and resumes are not listed (only where it stands now).
 */

/**
 * One query per kind of entry, each reading its newest rows through an index (migration 7); the
 * pages are merged in `feed`. Each selects the FeedRow columns; `at` and `id` are filtered and
 * ordered by the wrapper in `page`.
 */
const SOURCES: readonly string[] = [
  // Purpose: runs that started (their first start), with their status now.
  `SELECT 'run.started:' || id AS id, started_at AS at, 'run.started' AS kind, id AS run_id,
          NULL AS schedule_id, scraper, status, NULL AS records, NULL AS message
   FROM runs WHERE started_at IS NOT NULL`,
  // Purpose: runs that ended (succeeded, failed, cancelled), with their records and error.
  `SELECT 'run.finished:' || id AS id, finished_at AS at, 'run.finished' AS kind, id AS run_id,
          NULL AS schedule_id, scraper, status, ${LAST_RECORDS} AS records, error AS message
   FROM runs WHERE finished_at IS NOT NULL`,
  // Purpose: runs left resumable: stopped (paused with nobody executing them) or interrupted.
  `SELECT (CASE WHEN status = 'interrupted' THEN 'run.interrupted:' ELSE 'run.stopped:' END) || id AS id,
          updated_at AS at, CASE WHEN status = 'interrupted' THEN 'run.interrupted' ELSE 'run.stopped' END AS kind,
          id AS run_id, NULL AS schedule_id, scraper, status, ${LAST_RECORDS} AS records,
          COALESCE(error, pause_reason) AS message
   FROM runs WHERE status = 'interrupted' OR (status = 'paused' AND owner IS NULL)`,
  // Purpose: schedule occurrences that fired a run, were skipped, or failed before having a run.
  `SELECT ${OCCURRENCE_KIND} || ':' || o.schedule_id || ':' || o.due_at || ':' || o.attempt AS id,
          COALESCE(o.started_at, o.created_at) AS at, ${OCCURRENCE_KIND} AS kind, o.run_id,
          o.schedule_id, s.scraper, o.status, NULL AS records, o.reason AS message
   FROM schedule_occurrences o JOIN schedules s ON s.id = o.schedule_id
   WHERE o.status = 'skipped' OR o.run_id IS NOT NULL OR o.status = 'failed'`,
  // Purpose: paused schedules (by a user, or after too many failures in a row), since their last change.
  `SELECT 'schedule.paused:' || id AS id, updated_at AS at, 'schedule.paused' AS kind, NULL AS run_id,
          id AS schedule_id, scraper, 'paused' AS status, NULL AS records, paused_reason AS message
   FROM schedules WHERE status = 'paused'`,
];

/** The activity feed and recent errors, read from runs, requests and schedule history in SQLite. */
export class SqliteActivityStore implements ActivityStore {
  constructor(private readonly db: SqliteDatabase) {}

  async feed(options: { before?: ActivityCursor; limit?: number } = {}): Promise<ActivityRecord[]> {
    const limit = options.limit ?? 50;
    const before = options.before ?? { at: Number.MAX_SAFE_INTEGER, id: "\uffff" };
    // Each source's newest `limit` entries older than the cursor; the newest `limit` of them all.
    const rows = SOURCES.flatMap((source) => this.page(source, before, limit));
    rows.sort((a, b) => b.at - a.at || (a.id < b.id ? 1 : a.id > b.id ? -1 : 0));
    return rows.slice(0, limit).map(toActivity);
  }

  private page(source: string, before: ActivityCursor, limit: number): FeedRow[] {
    // Purpose: the newest rows of one source strictly before (at, id): an earlier instant, or the
    // same instant and a smaller id. (`at <= ?` first, so the source's index on its time is used.)
    const sql = `SELECT * FROM (${source}) WHERE at <= ? AND (at < ? OR id < ?)
                 ORDER BY at DESC, id DESC LIMIT ?`;
    return this.db.prepare(sql).all(before.at, before.at, before.id, limit) as FeedRow[];
  }

  async errors(options: { before?: ActivityCursor; limit?: number } = {}): Promise<RunErrorRecord[]> {
    const before = options.before ?? { at: Number.MAX_SAFE_INTEGER, id: "\uffff" };
    // Purpose: runs that failed or have failed requests, newest first by when they ended (or last
    // changed), strictly before (at, id). Runs are read in that order from runs_by_change; the
    // EXISTS reads the partial index of failed requests: a run without any costs one lookup.
    const rows = this.db
      .prepare(
        `SELECT id, scraper, status, COALESCE(finished_at, updated_at) AS at, error,
                (SELECT COUNT(*) FROM requests q WHERE q.run_id = runs.id AND q.state = 'failed') AS failed
         FROM runs
         WHERE COALESCE(finished_at, updated_at) <= ? AND (COALESCE(finished_at, updated_at) < ? OR id < ?)
           AND (status = 'failed'
                OR EXISTS (SELECT 1 FROM requests q WHERE q.run_id = runs.id AND q.state = 'failed'))
         ORDER BY COALESCE(finished_at, updated_at) DESC, id DESC LIMIT ?`,
      )
      .all(before.at, before.at, before.id, options.limit ?? 20) as ErrorRow[];
    // Purpose: a run's failed requests by reason, most frequent first, with one URL of each.
    const groups = this.db.prepare(
      `SELECT reason, COUNT(*) AS count, MIN(url) AS example FROM requests
       WHERE run_id = ? AND state = 'failed' GROUP BY reason ORDER BY count DESC, reason`,
    );
    return rows.map((row) => ({
      runId: row.id,
      scraper: row.scraper,
      status: row.status,
      at: row.at,
      error: row.error,
      failedRequests: row.failed,
      failures: row.failed > 0 ? (groups.all(row.id) as FailureGroup[]) : [],
    }));
  }
}
