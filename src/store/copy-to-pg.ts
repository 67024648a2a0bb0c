/**
 * `trawl db copy --to postgres://…` (issue 17, item 8): every table of a SQLite installation's
 * database copied into an empty PostgreSQL database in one transaction, verified inside it before
 * it commits (row counts and a SHA-256 of each table's rows in key order, read back from
 * PostgreSQL), so a failure leaves nothing behind. The SQLite file is read through a read-only
 * connection in one read transaction: a consistent snapshot even while a trawl writes to it.
 *
 * Values change only where PostgreSQL cannot hold them, as its repositories write them: a NUL in
 * a record's order key or source becomes U+0001 (pg-record-keys.ts), a NUL in any other text
 * becomes U+FFFD. Identity columns continue after the copied ids.
 */
import Database from "better-sqlite3";
import { existsSync } from "node:fs";
import type pg from "pg";
import { openDatabase } from "./database.ts";
import { storeError } from "./errors.ts";
import { describePgUrl, openPgDatabase } from "./pg-database.ts";
import { toPgKey } from "./pg-record-keys.ts";
import {
  checkEmpty,
  continueIdentities,
  insertRows,
  pgChecksum,
  RowHash,
  tableShapes,
  type TableShape,
} from "./copy-to-pg-tables.ts";

/** One table of a copy, as verified. */
export interface CopiedTable {
  table: string;
  sqliteRows: number;
  postgresRows: number;
  /** SHA-256 of the rows in key order, as mapped for PostgreSQL (see the file's comment). */
  sqliteSha256: string;
  postgresSha256: string;
  /** Values whose NULs were replaced (U+0001 in record keys and sources, else U+FFFD). */
  valuesMapped: number;
  equal: boolean;
}

/** What a copy did. */
export interface CopyReport {
  tables: CopiedTable[];
  /** Identity columns and the id each will give next. */
  identities: { table: string; column: string; next: number }[];
  /** Rows copied, over all tables. */
  rows: number;
  seconds: number;
}

/** Where a copy is, after each batch. */
export interface CopyProgress {
  table: string;
  rowsDone: number;
  rowsTotal: number;
  tableIndex: number;
  tables: number;
}

/** How to copy. */
export interface CopyOptions {
  onProgress?: (progress: CopyProgress) => void;
  /** Rows per INSERT. @defaultValue 1000 */
  batchRows?: number;
}

/** About this many bytes of text and blobs per INSERT at most (besides `batchRows`). */
const BATCH_BYTES = 8_000_000;

/** Parents first: the tables others reference (foreign keys are checked as rows go in). */
const FIRST = ["runs", "schedules"];

/**
 * Tables left out: the fleet's reports (`workers`) describe the processes running at the moment,
 * not data, and are pruned a minute after they stop; workers on PostgreSQL report themselves
 * there (and may already, which must not make the target look filled).
 */
const NOT_COPIED = new Set(["workers"]);

/**
 * Copies the SQLite database at `sqlitePath` (migrated first, with its backup, when older than
 * this trawl) into the empty PostgreSQL database at `url`, and verifies the copy.
 *
 * @throws `TRAWL_ERR_STORE_COPY_NO_SOURCE` when there is no SQLite file;
 * `TRAWL_ERR_STORE_COPY_NOT_EMPTY` when the PostgreSQL database holds data (nothing written);
 * `TRAWL_ERR_STORE_COPY_FAILED` when PostgreSQL refuses a row or the verification finds a
 * difference (rolled back: nothing written); `TRAWL_ERR_STORE_CONNECT`.
 */
export async function copySqliteToPg(
  sqlitePath: string,
  url: string,
  options: CopyOptions = {},
): Promise<CopyReport> {
  if (!existsSync(sqlitePath)) throw storeError("TRAWL_ERR_STORE_COPY_NO_SOURCE", { path: sqlitePath });
  openDatabase(sqlitePath).close();
  const source = new Database(sqlitePath, { readonly: true, fileMustExist: true });
  source.defaultSafeIntegers(true);
  const pool = await openPgDatabase(url, { maxConnections: 1 }).catch((error: unknown) => {
    source.close();
    throw error;
  });
  const started = performance.now();
  try {
    // One read transaction: every table read from the same snapshot.
    source.exec("BEGIN");
    source.prepare("SELECT count(*) FROM sqlite_master").get();
    const shapes = (await tableShapes(source, pool, FIRST)).filter((s) => !NOT_COPIED.has(s.table));
    const client = await pool.connect();
    try {
      await client.query("BEGIN");
      const tables = await copyAll(source, client, shapes, url, options);
      const identities = await continueIdentities(client, shapes);
      const differing = tables.filter((t) => !t.equal).map((t) => t.table);
      if (differing.length > 0) {
        throw storeError("TRAWL_ERR_STORE_COPY_FAILED", {
          url: describePgUrl(url),
          problem: `the copy differs from the SQLite database in ${differing.join(", ")}`,
        });
      }
      await client.query("COMMIT");
      const rows = tables.reduce((sum, t) => sum + t.postgresRows, 0);
      return { tables, identities, rows, seconds: (performance.now() - started) / 1000 };
    } catch (error) {
      await client.query("ROLLBACK").catch(() => undefined);
      throw error;
    } finally {
      client.release();
    }
  } finally {
    source.close();
    await pool.end();
  }
}

/** Checks the target is empty, then copies and verifies each table, in the caller's transaction. */
async function copyAll(
  source: Database.Database,
  client: pg.PoolClient,
  shapes: TableShape[],
  url: string,
  options: CopyOptions,
): Promise<CopiedTable[]> {
  await checkEmpty(client, shapes, describePgUrl(url));
  const copied: CopiedTable[] = [];
  for (const [tableIndex, shape] of shapes.entries()) {
    const rowsTotal = Number(source.prepare(`SELECT count(*) FROM "${shape.table}"`).pluck().get());
    const report = (rowsDone: number) =>
      options.onProgress?.({ table: shape.table, rowsDone, rowsTotal, tableIndex, tables: shapes.length });
    const { hash, valuesMapped, rows } = await copyTable(
      source,
      client,
      shape,
      options.batchRows ?? 1000,
      report,
    );
    const back = await pgChecksum(client, shape);
    copied.push({
      table: shape.table,
      sqliteRows: rowsTotal,
      postgresRows: back.rows,
      sqliteSha256: hash,
      postgresSha256: back.sha256,
      valuesMapped,
      equal: rowsTotal === back.rows && rows === rowsTotal && hash === back.sha256,
    });
  }
  return copied;
}

/** Copies one table in key order, hashing the rows as mapped; returns the hash. */
async function copyTable(
  source: Database.Database,
  client: pg.PoolClient,
  shape: TableShape,
  batchRows: number,
  report: (rowsDone: number) => void,
): Promise<{ hash: string; valuesMapped: number; rows: number }> {
  const hash = new RowHash(shape);
  const columns = shape.columns.map((c) => `"${c.name}"`).join(", ");
  const order = shape.key.map((k) => `"${k}"`).join(", ");
  const rows = source.prepare(`SELECT ${columns} FROM "${shape.table}" ORDER BY ${order}`).raw(true);
  let valuesMapped = 0;
  let batch: unknown[][] = [];
  let batchBytes = 0;
  let done = 0;
  const flush = async () => {
    await insertRows(client, shape, batch);
    done += batch.length;
    batch = [];
    batchBytes = 0;
    report(done);
  };
  for (const row of rows.iterate() as Iterable<unknown[]>) {
    const mapped = row.map((value, index) => {
      const stored = pgValue(shape, index, value);
      if (stored !== value) valuesMapped++;
      if (typeof stored === "string" || stored instanceof Buffer) batchBytes += stored.length;
      return stored;
    });
    hash.add(mapped);
    batch.push(mapped);
    // Large records or bodies: a batch is also bounded by size, so memory stays flat.
    if (batch.length >= batchRows || batchBytes >= BATCH_BYTES) await flush();
  }
  if (batch.length > 0) await flush();
  return { hash: hash.digest(), valuesMapped, rows: done };
}

/** A SQLite value as the PostgreSQL repositories store it: NULs in text replaced. */
function pgValue(shape: TableShape, index: number, value: unknown): unknown {
  if (typeof value !== "string" || !value.includes("\u0000")) return value;
  const column = shape.columns[index]!.name;
  const isRecordKey = shape.table === "records" && (column === "ord" || column === "source");
  return isRecordKey ? toPgKey(value) : value.replaceAll("\u0000", "\ufffd");
}
