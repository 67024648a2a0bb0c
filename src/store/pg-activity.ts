/**
 * The activity feed and recent errors in PostgreSQL: the same `ActivityStore` as
 * sqlite-activity.ts (see there why the feed is derived from runs and schedule history, not
 * stored). Ids and URLs are compared and ordered bytewise (`COLLATE "C"`), as SQLite does.
 */
import type pg from "pg";
import { camelRow } from "./camel-row.ts";
import { LAST_RECORDS, OCCURRENCE_KIND, type ErrorRow, type FeedRow } from "./activity-rows.ts";
import type { ActivityCursor, ActivityRecord, ActivityStore, FailureGroup, RunErrorRecord } from "./types.ts";

/**
 * One query per kind of entry (SQLite's, with typed NULLs); the pages are merged in `feed`. Each
 * selects the FeedRow columns; `at` and `id` are filtered and ordered by the wrapper in `page`.
 */
const SOURCES: readonly string[] = [
  // Purpose: runs that started (their first start), with their status now.
  `SELECT 'run.started:' || id AS id, started_at AS at, 'run.started' AS kind, id AS run_id,
          NULL::text AS schedule_id, scraper, status, NULL::integer AS records, NULL::text AS message
   FROM runs WHERE started_at IS NOT NULL`,
  // Purpose: runs that ended (succeeded, failed, cancelled), with their records and error.
  `SELECT 'run.finished:' || id AS id, finished_at AS at, 'run.finished' AS kind, id AS run_id,
          NULL::text AS schedule_id, scraper, status, ${LAST_RECORDS} AS records, error AS message
   FROM runs WHERE finished_at IS NOT NULL`,
  // Purpose: runs left resumable: stopped (paused with nobody executing them) or interrupted.
  `SELECT (CASE WHEN status = 'interrupted' THEN 'run.interrupted:' ELSE 'run.stopped:' END) || id AS id,
          updated_at AS at, CASE WHEN status = 'interrupted' THEN 'run.interrupted' ELSE 'run.stopped' END AS kind,
          id AS run_id, NULL::text AS schedule_id, scraper, status, ${LAST_RECORDS} AS records,
          COALESCE(error, pause_reason) AS message
   FROM runs WHERE status = 'interrupted' OR (status = 'paused' AND owner IS NULL)`,
  // Purpose: schedule occurrences that fired a run, were skipped, or failed before having a run.
  `SELECT ${OCCURRENCE_KIND} || ':' || o.schedule_id || ':' || o.due_at || ':' || o.attempt AS id,
          COALESCE(o.started_at, o.created_at) AS at, ${OCCURRENCE_KIND} AS kind, o.run_id,
          o.schedule_id, s.scraper, o.status, NULL::integer AS records, o.reason AS message
   FROM schedule_occurrences o JOIN schedules s ON s.id = o.schedule_id
   WHERE o.status = 'skipped' OR o.run_id IS NOT NULL OR o.status = 'failed'`,
  // Purpose: paused schedules (by a user, or after too many failures in a row), since their last change.
  `SELECT 'schedule.paused:' || id AS id, updated_at AS at, 'schedule.paused' AS kind, NULL::text AS run_id,
          id AS schedule_id, scraper, 'paused' AS status, NULL::integer AS records, paused_reason AS message
   FROM schedules WHERE status = 'paused'`,
];

/** The newest cursor there is: every entry is older. */
const NEWEST: ActivityCursor = { at: Number.MAX_SAFE_INTEGER, id: "\uffff" };

/** The activity feed and recent errors, read from runs, requests and schedule history in PostgreSQL. */
export class PgActivityStore implements ActivityStore {
  constructor(private readonly pool: pg.Pool) {}

  async feed(options: { before?: ActivityCursor; limit?: number } = {}): Promise<ActivityRecord[]> {
    const limit = options.limit ?? 50;
    const before = options.before ?? NEWEST;
    // Each source's newest `limit` entries older than the cursor; the newest `limit` of them all.
    const pages = await Promise.all(SOURCES.map((source) => this.page(source, before, limit)));
    const rows = pages.flat();
    rows.sort((a, b) => b.at - a.at || (a.id < b.id ? 1 : a.id > b.id ? -1 : 0));
    return rows.slice(0, limit).map((row): ActivityRecord => camelRow(row));
  }

  private async page(source: string, before: ActivityCursor, limit: number): Promise<FeedRow[]> {
    // Purpose: the newest rows of one source strictly before (at, id): an earlier instant, or the
    // same instant and a smaller id. Params: the cursor's instant and id, the limit.
    const { rows } = await this.pool.query<FeedRow>(
      `SELECT * FROM (${source}) AS source WHERE at <= $1 AND (at < $1 OR id < $2 COLLATE "C")
       ORDER BY at DESC, id COLLATE "C" DESC LIMIT $3`,
      [before.at, before.id, limit],
    );
    return rows;
  }

  async errors(options: { before?: ActivityCursor; limit?: number } = {}): Promise<RunErrorRecord[]> {
    const before = options.before ?? NEWEST;
    // Purpose: runs that failed or have failed requests, newest first by when they ended (or last
    // changed), strictly before (at, id). Params: the cursor's instant and id, the limit.
    const { rows } = await this.pool.query<ErrorRow>(
      `SELECT id, scraper, status, COALESCE(finished_at, updated_at) AS at, error,
              (SELECT COUNT(*) FROM requests q WHERE q.run_id = runs.id AND q.state = 'failed') AS failed
       FROM runs
       WHERE COALESCE(finished_at, updated_at) <= $1
         AND (COALESCE(finished_at, updated_at) < $1 OR id < $2 COLLATE "C")
         AND (status = 'failed'
              OR EXISTS (SELECT 1 FROM requests q WHERE q.run_id = runs.id AND q.state = 'failed'))
       ORDER BY COALESCE(finished_at, updated_at) DESC, id COLLATE "C" DESC LIMIT $3`,
      [before.at, before.id, options.limit ?? 20],
    );
    return Promise.all(
      rows.map(async (row) => ({
        runId: row.id,
        scraper: row.scraper,
        status: row.status,
        at: row.at,
        error: row.error,
        failedRequests: row.failed,
        failures: row.failed > 0 ? await this.failureGroups(row.id) : [],
      })),
    );
  }

  private async failureGroups(runId: string): Promise<FailureGroup[]> {
    // Purpose: a run's failed requests by reason, most frequent first, with one URL of each.
    const { rows } = await this.pool.query<FailureGroup>(
      `SELECT reason, COUNT(*) AS count, MIN(url COLLATE "C") AS example FROM requests
       WHERE run_id = $1 AND state = 'failed' GROUP BY reason ORDER BY count DESC, reason COLLATE "C"`,
      [runId],
    );
    return rows;
  }
}
