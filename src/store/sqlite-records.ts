import { writeTransaction, type SqliteDatabase } from "./database.ts";
import type { RecordStore } from "./types.ts";

/** Sort key of the n-th record a step wrote. */
function stepRecordOrder(index: number): string {
  return String(index).padStart(12, "0");
}

/** Records of every stage of a run: stage 0 is the crawl's output, stage n the n-th step's. */
export class SqliteRecordStore implements RecordStore {
  constructor(private readonly db: SqliteDatabase) {}

  async *read(runId: string, stage: number, batchSize = 500): AsyncIterable<unknown> {
    for await (const page of this.readPages(runId, stage, batchSize)) yield* page;
  }

  async *readPages(runId: string, stage: number, batchSize = 500): AsyncIterable<unknown[]> {
    // Purpose: page through a stage by its order key (keyset pagination; never holds a read cursor across awaits).
    const page = this.db
      .prepare(
        `SELECT ord, data FROM records WHERE run_id = ? AND stage = ? AND ord > ? ORDER BY ord LIMIT ?`,
      )
      .raw();
    let after = "";
    for (;;) {
      const rows = page.all(runId, stage, after, batchSize) as [string, string][];
      yield rows.map((row) => JSON.parse(row[1]) as unknown);
      if (rows.length < batchSize) return;
      after = rows.at(-1)![0];
    }
  }

  async count(runId: string, stage: number): Promise<number> {
    // Purpose: how many records a stage holds.
    const row = this.db
      .prepare(`SELECT COUNT(*) AS n FROM records WHERE run_id = ? AND stage = ?`)
      .get(runId, stage) as { n: number };
    return row.n;
  }

  async append(runId: string, stage: number, records: unknown[], firstIndex: number): Promise<void> {
    // Purpose: store a batch of a step's output. Params: run, stage, order key, JSON data.
    const insert = this.db.prepare(
      `INSERT INTO records (run_id, stage, ord, target, data) VALUES (?, ?, ?, '', ?)`,
    );
    writeTransaction(this.db, () =>
      records.forEach((record, offset) =>
        insert.run(runId, stage, stepRecordOrder(firstIndex + offset), JSON.stringify(record)),
      ),
    );
  }

  async clear(runId: string, stage: number): Promise<void> {
    // Purpose: forget a stage before a step is re-run.
    writeTransaction(this.db, () =>
      this.db.prepare(`DELETE FROM records WHERE run_id = ? AND stage = ?`).run(runId, stage),
    );
  }
}
