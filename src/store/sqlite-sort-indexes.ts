/**
 * Sort indexes: a partial index on (field, order key) over the rows of one large stored stage,
 * made the first time the stage is sorted by that field. With it a sorted page reads its rows
 * from the index after the cursor instead of sorting the whole stage; SQLite keeps it current
 * as records are added (a live run, another process), and it costs nothing to rows of other
 * stages but one comparison of the run id.
 */
import { createHash } from "node:crypto";
import { writeTransaction, type SqliteDatabase } from "./database.ts";
import { sortKey, stageScope } from "./sqlite-record-predicates.ts";

/** Stages with fewer records are sorted without an index: a scan and sort of them is quick. */
export const SORT_INDEX_MIN_RECORDS = 20_000;

/** At most this many sort indexes exist; making another drops the oldest. */
export const MAX_SORT_INDEXES = 12;

/** The sort indexes of one database (see the file's comment). */
export class SortIndexes {
  /** Rows this connection changed in `record_sort_indexes` (not records: totals stay valid). */
  bookkeeping = 0;

  constructor(private readonly db: SqliteDatabase) {}

  /** The index name of a stage's field (whether it exists or not). */
  static nameOf(runId: string, stage: number, field: string): string {
    const hash = createHash("sha256")
      .update(JSON.stringify([runId, stage, field]))
      .digest("hex");
    return `records_sort_${hash.slice(0, 20)}`;
  }

  /** Whether the index of a stage's field exists. */
  exists(name: string): boolean {
    // Purpose: look an index up by name. Params: index name.
    return (
      this.db.prepare(`SELECT 1 FROM sqlite_schema WHERE type = 'index' AND name = ?`).get(name) !== undefined
    );
  }

  /**
   * The index of a stage's field, made now if it does not exist (a one-time scan of the stage:
   * about a second per million records), dropping the oldest beyond {@link MAX_SORT_INDEXES}.
   */
  ensure(runId: string, stage: number, field: string): string {
    const name = SortIndexes.nameOf(runId, stage, field);
    if (this.exists(name)) return name;
    writeTransaction(this.db, () => {
      // Purpose: index one field of one stored stage in sort order. No parameters: a partial
      // index's WHERE is literal (and the same text as the queries' scope).
      this.db.exec(
        `CREATE INDEX IF NOT EXISTS ${name} ON records (${sortKey(field)}, ord) WHERE ${stageScope(runId, stage)}`,
      );
      // Purpose: list the index. Params: name, run, stage, field.
      this.bookkeeping += this.db
        .prepare(`INSERT OR IGNORE INTO record_sort_indexes (name, run_id, stage, field) VALUES (?, ?, ?, ?)`)
        .run(name, runId, stage, field).changes;
      // Purpose: the oldest indexes beyond the cap. Params: cap.
      const old = this.db
        .prepare(`SELECT name FROM record_sort_indexes ORDER BY id DESC LIMIT -1 OFFSET ?`)
        .pluck()
        .all(MAX_SORT_INDEXES) as string[];
      old.forEach((stale) => this.dropOne(stale));
    });
    return name;
  }

  /** Drops the indexes of a stage (its rows are being deleted). Call inside a write transaction. */
  dropStage(runId: string, stage: number): void {
    // Purpose: the indexes of one stage. Params: run, stage.
    const names = this.db
      .prepare(`SELECT name FROM record_sort_indexes WHERE run_id = ? AND stage = ?`)
      .pluck()
      .all(runId, stage) as string[];
    names.forEach((name) => this.dropOne(name));
  }

  private dropOne(name: string): void {
    // Names come from record_sort_indexes, which only ever holds names made by nameOf.
    if (!/^records_sort_[0-9a-f]{20}$/.test(name)) return;
    this.db.exec(`DROP INDEX IF EXISTS ${name}`);
    // Purpose: forget a dropped index. Params: name.
    this.bookkeeping += this.db.prepare(`DELETE FROM record_sort_indexes WHERE name = ?`).run(name).changes;
  }
}
