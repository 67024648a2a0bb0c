/**
 * Sort indexes on PostgreSQL, as on SQLite (sqlite-sort-indexes.ts): a partial index on a field's
 * sort key and the order key over the rows of one large stored stage, made the first time the
 * stage is sorted by that field, listed in `record_sort_indexes`, at most
 * {@link MAX_SORT_INDEXES} of them. Two differences:
 * - They are built and dropped CONCURRENTLY: a plain CREATE INDEX would stop every worker's
 *   writes to `records` (all runs') while it scans the table. So they are made outside any
 *   transaction (a build waits for the database's older transactions to end: never sort a
 *   large stage from inside a transaction you hold), and a sorted page does not wait for one
 *   another process is building (an index being built, or whose build failed, is not used;
 *   a failed one stays until evicted or its stage is cleared).
 * - PostgreSQL has no INDEXED BY: the planner reads through the index when the query's stage and
 *   sort key are the index's (the same literal scope and expressions) and it is cheaper.
 */
import type pg from "pg";
import { sortKey, stageScope } from "./pg-record-predicates.ts";
import { MAX_SORT_INDEXES, SortIndexes } from "./sqlite-sort-indexes.ts";

export { MAX_SORT_INDEXES, SORT_INDEX_MIN_RECORDS } from "./sqlite-sort-indexes.ts";

/** Names made by `SortIndexes.nameOf` (the same on both backends). */
const INDEX_NAME = /^records_sort_[0-9a-f]{20}$/;

/** The sort indexes of one database (see the file's comment). */
export class PgSortIndexes {
  constructor(private readonly pool: pg.Pool) {}

  /**
   * Makes the index of a stage's field unless it exists (a scan of `records`; writes go on),
   * dropping the oldest beyond {@link MAX_SORT_INDEXES}.
   */
  async ensure(runId: string, stage: number, field: string): Promise<void> {
    const name = SortIndexes.nameOf(runId, stage, field);
    const { rows } = await this.pool.query<{ made: boolean; listed: boolean }>(
      `SELECT to_regclass($1) IS NOT NULL AS made,
              EXISTS (SELECT 1 FROM record_sort_indexes WHERE name = $1) AS listed`,
      [name],
    );
    if (rows[0]!.made && rows[0]!.listed) return;
    // Listed first: an index a crash leaves half-made is still listed, so dropped in its turn.
    await this.pool.query(
      `INSERT INTO record_sort_indexes (name, run_id, stage, field) VALUES ($1, $2, $3, $4)
       ON CONFLICT (name) DO NOTHING`,
      [name, runId, stage, field],
    );
    // No parameters: a partial index's WHERE is literal (and the same text as the queries' scope).
    // A second build of the same name waits for the first (each holds the table's share update
    // exclusive lock to its end), then finds it made.
    await this.pool.query(
      `CREATE INDEX CONCURRENTLY IF NOT EXISTS ${name} ON records (${sortKey(field).join(", ")}, ord)
       WHERE ${stageScope(runId, stage)}`,
    );
    const old = await this.pool.query<{ name: string }>(
      `SELECT name FROM record_sort_indexes ORDER BY id DESC OFFSET $1`,
      [MAX_SORT_INDEXES],
    );
    for (const { name: stale } of old.rows) await this.dropOne(stale);
  }

  /** Drops the indexes of a stage (after its rows were deleted). */
  async dropStage(runId: string, stage: number): Promise<void> {
    const { rows } = await this.pool.query<{ name: string }>(
      `SELECT name FROM record_sort_indexes WHERE run_id = $1 AND stage = $2`,
      [runId, stage],
    );
    for (const { name } of rows) await this.dropOne(name);
  }

  private async dropOne(name: string): Promise<void> {
    // Names come from record_sort_indexes, which only ever holds names made by nameOf.
    if (!INDEX_NAME.test(name)) return;
    await this.pool.query(`DROP INDEX CONCURRENTLY IF EXISTS ${name}`);
    await this.pool.query(`DELETE FROM record_sort_indexes WHERE name = $1`, [name]);
  }
}
