/**
 * Records of every stage of a run on PostgreSQL, as SQLite keeps them (sqlite-records.ts): stage
 * 0 is the crawl's output (written by the queue's completions), stage n the n-th step's; a stage
 * is either stored (its rows) or an alias of an earlier stored one (`stage_aliases`). Order keys
 * and sources keep U+0001 where SQLite's keep a NUL (pg-record-keys.ts).
 */
import type pg from "pg";
import { pgTransaction, type PgQueryable } from "./pg-database.ts";
import { fromPgKey, toPgKey } from "./pg-record-keys.ts";
import { SOURCE_KEY, stageScope } from "./pg-record-predicates.ts";
import { PgRecordQuery } from "./pg-record-query.ts";
import type { QueriedRecord, RecordQuery, RecordQueryPage, RecordSelection } from "./record-query.ts";
import type { RecordStore, SourcedRecord } from "./record-types.ts";

/** Digits of a step record's order key: zero-padded, so text order is numeric order (as SQLite's). */
const ORDER_DIGITS = 12;

/** A row as read: its JSON text and its source key as stored. */
interface StoredRow {
  ord: string;
  data: string;
  source: string | null;
}

function sourced(row: StoredRow): SourcedRecord {
  return {
    data: JSON.parse(row.data) as unknown,
    source: row.source === null ? null : fromPgKey(row.source),
  };
}

/** The records of every run's stages, in PostgreSQL. */
export class PgRecordStore implements RecordStore {
  private readonly queries: PgRecordQuery;

  constructor(private readonly pool: pg.Pool) {
    this.queries = new PgRecordQuery(pool);
  }

  /** The stage whose rows hold `stage`'s records: itself, or the stored stage it is an alias of. */
  private async storedStage(runId: string, stage: number, db: PgQueryable = this.pool): Promise<number> {
    const { rows } = await db.query<{ same_as: number }>(
      `SELECT same_as FROM stage_aliases WHERE run_id = $1 AND stage = $2`,
      [runId, stage],
    );
    return rows[0]?.same_as ?? stage;
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

  /** A stage page by page by its order key (keyset: no cursor or transaction held across yields). */
  private async *rowPages(runId: string, stage: number, batchSize: number): AsyncIterable<SourcedRecord[]> {
    const stored = await this.storedStage(runId, stage);
    let after = "";
    for (;;) {
      const { rows } = await this.pool.query<StoredRow>(
        `SELECT ord, data, ${SOURCE_KEY} AS source FROM records
         WHERE run_id = $1 AND stage = $2 AND ord > $3 ORDER BY ord LIMIT $4`,
        [runId, stored, after, batchSize],
      );
      yield rows.map(sourced);
      if (rows.length < batchSize) return;
      after = rows.at(-1)!.ord;
    }
  }

  async at(runId: string, stage: number, position: number): Promise<SourcedRecord | undefined> {
    const { rows } = await this.pool.query<StoredRow>(
      `SELECT ord, data, ${SOURCE_KEY} AS source FROM records
       WHERE run_id = $1 AND stage = $2 ORDER BY ord LIMIT 1 OFFSET $3`,
      [runId, await this.storedStage(runId, stage), position],
    );
    return rows[0] && sourced(rows[0]);
  }

  async count(runId: string, stage: number): Promise<number> {
    return this.queries.count(stageScope(runId, await this.storedStage(runId, stage)));
  }

  async query(runId: string, stage: number, query: RecordQuery): Promise<RecordQueryPage> {
    return this.queries.page(runId, await this.storedStage(runId, stage), query);
  }

  async *queryPages(
    runId: string,
    stage: number,
    selection: RecordSelection,
    batchSize = 500,
  ): AsyncIterable<QueriedRecord[]> {
    yield* this.queries.pages(runId, await this.storedStage(runId, stage), selection, batchSize);
  }

  async append(
    runId: string,
    stage: number,
    records: unknown[],
    firstIndex: number,
    sources: readonly (string | null)[] = [],
  ): Promise<void> {
    if (records.length === 0) return;
    // One statement, so all or nothing, as SQLite's transaction.
    await this.pool.query(
      `INSERT INTO records (run_id, stage, ord, target, data, source)
       SELECT $1, $2, ord, '', data, source FROM unnest($3::text[], $4::text[], $5::text[]) AS r(ord, data, source)`,
      [
        runId,
        stage,
        records.map((_, offset) => String(firstIndex + offset).padStart(ORDER_DIGITS, "0")),
        records.map((record) => JSON.stringify(record)),
        records.map((_, offset) => {
          const source = sources[offset];
          return source === undefined || source === null ? null : toPgKey(source);
        }),
      ],
    );
  }

  async alias(runId: string, stage: number, sameAs: number): Promise<void> {
    await pgTransaction(this.pool, async (client) => {
      const stored = await this.storedStage(runId, sameAs, client);
      await this.deleteStage(client, runId, stage);
      await client.query(`INSERT INTO stage_aliases (run_id, stage, same_as) VALUES ($1, $2, $3)`, [
        runId,
        stage,
        stored,
      ]);
    });
    await this.queries.sortIndexes.dropStage(runId, stage);
  }

  async copyLeading(runId: string, from: number, to: number, count: number): Promise<void> {
    if (count <= 0) return;
    // In the database, numbered from 0 like `append`; a crawl row's source comes from its order key.
    await this.pool.query(
      `INSERT INTO records (run_id, stage, ord, target, data, source)
       SELECT run_id, $1, lpad((row_number() OVER (ORDER BY ord) - 1)::text, ${ORDER_DIGITS}, '0'), '', data, source
       FROM (SELECT run_id, ord, data, ${SOURCE_KEY} AS source FROM records
             WHERE run_id = $2 AND stage = $3 ORDER BY ord LIMIT $4) AS first_rows`,
      [to, runId, await this.storedStage(runId, from), count],
    );
  }

  async clear(runId: string, stage: number): Promise<void> {
    await pgTransaction(this.pool, (client) => this.deleteStage(client, runId, stage));
    await this.queries.sortIndexes.dropStage(runId, stage);
  }

  /** Forgets a stage's rows and alias (its sort indexes are dropped after: not in a transaction). */
  private async deleteStage(client: pg.PoolClient, runId: string, stage: number): Promise<void> {
    await client.query(`DELETE FROM records WHERE run_id = $1 AND stage = $2`, [runId, stage]);
    await client.query(`DELETE FROM stage_aliases WHERE run_id = $1 AND stage = $2`, [runId, stage]);
  }
}
