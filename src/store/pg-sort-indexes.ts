/**
 * Sort indexes on PostgreSQL, as on SQLite (sqlite-sort-indexes.ts): a partial index on a field's
 * sort key and the order key over the rows of one large stored stage, made the first time the
 * stage is sorted by that field, listed in `record_sort_indexes`, at most
 * {@link MAX_SORT_INDEXES} of them. Two differences:
 * - They are built and dropped CONCURRENTLY: a plain CREATE INDEX would stop every worker's
 *   writes to `records` (all runs') while it scans the table. So they are made outside any
 *   transaction (a build waits for the database's older transactions to end: never sort a
 *   large stage from inside a transaction you hold), one at a time under an advisory lock that
 *   is only tried: a sorted page does not wait for an index being built elsewhere, it is read
 *   without (as one whose build failed: it stays, unused, until evicted or its stage cleared).
 * - PostgreSQL has no INDEXED BY: the planner reads through the index when the query's stage and
 *   sort key are the index's (the same literal scope and expressions) and it is cheaper.
 */
import type pg from "pg";
import type { PgQueryable } from "./pg-database.ts";
import { sortKey, stageScope } from "./pg-record-predicates.ts";
import { MAX_SORT_INDEXES, SortIndexes } from "./sqlite-sort-indexes.ts";

export { MAX_SORT_INDEXES, SORT_INDEX_MIN_RECORDS } from "./sqlite-sort-indexes.ts";

/** Names made by `SortIndexes.nameOf` (the same on both backends). */
const INDEX_NAME = /^records_sort_[0-9a-f]{20}$/;

/**
 * The advisory lock one connection at a time holds while it builds or drops sort indexes
 * ("trsort" in ASCII). Two concurrent builds on one table deadlock (each waits for the other's snapshot),
 * and so would a build and a process waiting for this lock: so it is only ever tried, never
 * waited for.
 */
const INDEX_LOCK = 0x7472736f7274;

/** The sort indexes of one database (see the file's comment). */
export class PgSortIndexes {
  constructor(private readonly pool: pg.Pool) {}

  /**
   * Makes the index of a stage's field unless it exists (a scan of `records`; writes go on),
   * dropping the oldest beyond {@link MAX_SORT_INDEXES}. While another process builds or drops
   * one, nothing: the page is read without it (the next one asks again).
   */
  async ensure(runId: string, stage: number, field: string): Promise<void> {
    const name = SortIndexes.nameOf(runId, stage, field);
    if (await this.exists(name)) return;
    await this.exclusively(async (client) => {
      if (await this.exists(name, client)) return;
      // Listed first: an index a crash leaves half-made is still listed, so dropped in its turn.
      await client.query(
        `INSERT INTO record_sort_indexes (name, run_id, stage, field) VALUES ($1, $2, $3, $4)
         ON CONFLICT (name) DO NOTHING`,
        [name, runId, stage, field],
      );
      // No parameters: a partial index's WHERE is literal (and the same text as the queries' scope).
      await client.query(
        `CREATE INDEX CONCURRENTLY IF NOT EXISTS ${name} ON records (${sortKey(field).join(", ")}, ord)
         WHERE ${stageScope(runId, stage)}`,
      );
      const old = await client.query<{ name: string }>(
        `SELECT name FROM record_sort_indexes ORDER BY id DESC OFFSET $1`,
        [MAX_SORT_INDEXES],
      );
      for (const { name: stale } of old.rows) await this.dropOne(client, stale);
    });
  }

  /**
   * Drops the indexes of a stage (after its rows were deleted). While another process builds or
   * drops one they stay, listed: harmless (a re-run's rows fill them again) and evicted in turn.
   */
  async dropStage(runId: string, stage: number): Promise<void> {
    const { rows } = await this.pool.query<{ name: string }>(
      `SELECT name FROM record_sort_indexes WHERE run_id = $1 AND stage = $2`,
      [runId, stage],
    );
    if (rows.length === 0) return;
    await this.exclusively(async (client) => {
      for (const { name } of rows) await this.dropOne(client, name);
    });
  }

  /** Whether an index is both made and listed. */
  private async exists(name: string, db: PgQueryable = this.pool): Promise<boolean> {
    const { rows } = await db.query<{ found: boolean }>(
      `SELECT to_regclass($1) IS NOT NULL AND EXISTS (SELECT 1 FROM record_sort_indexes WHERE name = $1) AS found`,
      [name],
    );
    return rows[0]!.found;
  }

  /** Runs `work` holding {@link INDEX_LOCK} on a connection of its own; not at all when another has it. */
  private async exclusively(work: (client: pg.PoolClient) => Promise<void>): Promise<void> {
    const client = await this.pool.connect();
    try {
      const { rows } = await client.query<{ got: boolean }>(`SELECT pg_try_advisory_lock($1) AS got`, [
        INDEX_LOCK,
      ]);
      if (!rows[0]!.got) return;
      try {
        await work(client);
      } finally {
        await client.query(`SELECT pg_advisory_unlock($1)`, [INDEX_LOCK]);
      }
    } finally {
      client.release();
    }
  }

  private async dropOne(client: pg.PoolClient, name: string): Promise<void> {
    // Names come from record_sort_indexes, which only ever holds names made by nameOf.
    if (!INDEX_NAME.test(name)) return;
    await client.query(`DROP INDEX CONCURRENTLY IF EXISTS ${name}`);
    await client.query(`DELETE FROM record_sort_indexes WHERE name = $1`, [name]);
  }
}
