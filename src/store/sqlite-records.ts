import { writeTransaction, type SqliteDatabase } from "./database.ts";
import type { QueriedRecord, RecordQuery, RecordQueryPage, RecordSelection } from "./record-query.ts";
import { SOURCE_KEY, stageScope } from "./sqlite-record-predicates.ts";
import { SqliteRecordQuery } from "./sqlite-record-query.ts";
import type { RecordStore, SourcedRecord } from "./types.ts";

/** Digits of a step record's sort key: zero-padded, so text order is numeric order. */
const ORDER_DIGITS = 12;

/** Sort key of the n-th record a step wrote. */
function stepRecordOrder(index: number): string {
  return String(index).padStart(ORDER_DIGITS, "0");
}

/**
 * Records of every stage of a run: stage 0 is the crawl's output, stage n the n-th step's. A stage
 * is either stored (its rows) or an alias of an earlier stored one (`stage_aliases`).
 */
export class SqliteRecordStore implements RecordStore {
  private readonly queries: SqliteRecordQuery;

  constructor(private readonly db: SqliteDatabase) {
    this.queries = new SqliteRecordQuery(db);
  }

  /** The stage whose rows hold `stage`'s records: itself, or the stored stage it is an alias of. */
  private storedStage(runId: string, stage: number): number {
    // Purpose: follow a stage alias. Params: run, stage.
    const row = this.db
      .prepare(`SELECT same_as FROM stage_aliases WHERE run_id = ? AND stage = ?`)
      .get(runId, stage) as { same_as: number } | undefined;
    return row?.same_as ?? stage;
  }

  async *read(runId: string, stage: number, batchSize = 500): AsyncIterable<unknown> {
    for await (const page of this.readPages(runId, stage, batchSize)) yield* page;
  }

  async *readPages(runId: string, stage: number, batchSize = 500): AsyncIterable<unknown[]> {
    for await (const rows of this.rowPages(runId, stage, batchSize)) yield rows.map((row) => row.data);
  }

  readSourcedPages(runId: string, stage: number, batchSize = 500): AsyncIterable<SourcedRecord[]> {
    return this.rowPages(runId, stage, batchSize);
  }

  private async *rowPages(runId: string, stage: number, batchSize: number): AsyncIterable<SourcedRecord[]> {
    // Purpose: page through a stage by its order key (keyset pagination; never holds a read cursor across awaits).
    const page = this.db
      .prepare(
        `SELECT ord, data, ${SOURCE_KEY} FROM records WHERE run_id = ? AND stage = ? AND ord > ? ORDER BY ord LIMIT ?`,
      )
      .raw();
    const stored = this.storedStage(runId, stage);
    let after = "";
    for (;;) {
      const rows = page.all(runId, stored, after, batchSize) as [string, string, string | null][];
      yield rows.map(([, data, source]) => ({ data: JSON.parse(data) as unknown, source }));
      if (rows.length < batchSize) return;
      after = rows.at(-1)![0];
    }
  }

  async at(runId: string, stage: number, position: number): Promise<SourcedRecord | undefined> {
    // Purpose: one record by its position in the stage's order. Params: run, stage, position.
    const row = this.db
      .prepare(
        `SELECT data, ${SOURCE_KEY} FROM records WHERE run_id = ? AND stage = ? ORDER BY ord LIMIT 1 OFFSET ?`,
      )
      .raw()
      .get(runId, this.storedStage(runId, stage), position) as [string, string | null] | undefined;
    return row && { data: JSON.parse(row[0]) as unknown, source: row[1] };
  }

  async count(runId: string, stage: number): Promise<number> {
    // Counted once per state of the database: a large finished run is not counted on every read.
    return this.queries.count(stageScope(runId, this.storedStage(runId, stage)));
  }

  async query(runId: string, stage: number, query: RecordQuery): Promise<RecordQueryPage> {
    return this.queries.page(runId, this.storedStage(runId, stage), query);
  }

  async *queryPages(
    runId: string,
    stage: number,
    selection: RecordSelection,
    batchSize = 500,
  ): AsyncIterable<QueriedRecord[]> {
    yield* this.queries.pages(runId, this.storedStage(runId, stage), selection, batchSize);
  }

  async append(
    runId: string,
    stage: number,
    records: unknown[],
    firstIndex: number,
    sources: readonly (string | null)[] = [],
  ): Promise<void> {
    // Purpose: store a batch of a step's output. Params: run, stage, order key, JSON data, source page.
    const insert = this.db.prepare(
      `INSERT INTO records (run_id, stage, ord, target, data, source) VALUES (?, ?, ?, '', ?, ?)`,
    );
    writeTransaction(this.db, () =>
      records.forEach((record, offset) =>
        insert.run(
          runId,
          stage,
          stepRecordOrder(firstIndex + offset),
          JSON.stringify(record),
          sources[offset] ?? null,
        ),
      ),
    );
  }

  async alias(runId: string, stage: number, sameAs: number): Promise<void> {
    const stored = this.storedStage(runId, sameAs);
    writeTransaction(this.db, () => {
      this.deleteStage(runId, stage);
      // Purpose: record that a stage holds the records of a stored one. Params: run, stage, stored stage.
      this.db
        .prepare(`INSERT INTO stage_aliases (run_id, stage, same_as) VALUES (?, ?, ?)`)
        .run(runId, stage, stored);
    });
  }

  async copyLeading(runId: string, from: number, to: number, count: number): Promise<void> {
    if (count <= 0) return;
    // Purpose: copy a stage's first records into a step's stage, numbered from 0 like `append`.
    // Params: target stage, run, source stage, count.
    const copy = this.db.prepare(
      `INSERT INTO records (run_id, stage, ord, target, data, source)
       SELECT run_id, ?, printf('%0${ORDER_DIGITS}d', row_number() OVER (ORDER BY ord) - 1), '', data, source
       FROM (SELECT run_id, ord, data, ${SOURCE_KEY} AS source FROM records
             WHERE run_id = ? AND stage = ? ORDER BY ord LIMIT ?)`,
    );
    const stored = this.storedStage(runId, from);
    writeTransaction(this.db, () => copy.run(to, runId, stored, count));
  }

  async clear(runId: string, stage: number): Promise<void> {
    writeTransaction(this.db, () => this.deleteStage(runId, stage));
  }

  private deleteStage(runId: string, stage: number): void {
    // Purpose: forget a stage, stored or aliased, before a step is (re-)run. Params: run, stage.
    this.queries.sortIndexes.dropStage(runId, stage);
    this.db.prepare(`DELETE FROM records WHERE run_id = ? AND stage = ?`).run(runId, stage);
    this.db.prepare(`DELETE FROM stage_aliases WHERE run_id = ? AND stage = ?`).run(runId, stage);
  }
}
