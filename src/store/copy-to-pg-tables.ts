/**
 * The tables of a SQLite-to-PostgreSQL copy (copy-to-pg.ts): their shapes on both sides, the
 * emptiness check, batched inserts, identity sequences moved past the copied ids, and the
 * checksum both sides compute the same way (SHA-256 of the rows in key order, each value tagged
 * by its PostgreSQL type, so an integer, its text and a float never hash alike).
 */
import type Database from "better-sqlite3";
import { createHash, type Hash } from "node:crypto";
import pg from "pg";
import { storeError } from "./errors.ts";

/** How a column's values are typed on PostgreSQL (and hashed). */
type ValueKind = "integer" | "float" | "text" | "bytes";

/** A column of a copied table. */
export interface CopiedColumn {
  name: string;
  kind: ValueKind;
  /** Its PostgreSQL type, for the INSERT's arrays. */
  pgType: string;
}

/** A table to copy: its columns (SQLite's, in order), its key, its identity column if any. */
export interface TableShape {
  table: string;
  columns: CopiedColumn[];
  key: string[];
  identity?: string;
}

/**
 * Rows a fresh trawl database holds after its migrations (the app lock's state, the schedules'
 * counter): an empty database may hold these, and the copy replaces them with SQLite's.
 */
const SEEDED: Record<string, string> = {
  lock_state: `id = 1 AND pin_hash IS NULL AND failures = 0 AND last_failure_at IS NULL
               AND idle_minutes IS NULL AND pin_on_start = 0`,
  counters: `name = 'schedules' AND value = 0`,
};

const KIND_OF: Record<string, ValueKind> = {
  smallint: "integer",
  integer: "integer",
  bigint: "integer",
  "double precision": "float",
  real: "float",
  bytea: "bytes",
};

/** SQLite's tables (parents named in `first` before the others) with their PostgreSQL twins' types. */
export async function tableShapes(
  source: Database.Database,
  pool: pg.Pool,
  first: readonly string[],
): Promise<TableShape[]> {
  const names = source
    .prepare(`SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' ORDER BY name`)
    .pluck()
    .all() as string[];
  names.sort((a, b) => rank(a, first) - rank(b, first));
  const { rows } = await pool.query<{
    table_name: string;
    column_name: string;
    data_type: string;
    is_identity: string;
  }>(
    `SELECT table_name, column_name, data_type, is_identity FROM information_schema.columns
      WHERE table_schema = current_schema()`,
  );
  return names.map((table) => {
    const info = (
      source.prepare(`PRAGMA table_info("${table}")`).all() as { name: string; pk: bigint }[]
    ).map((c) => ({ name: c.name, pk: Number(c.pk) }));
    const columns = info.map(({ name }): CopiedColumn => {
      const twin = rows.find((r) => r.table_name === table && r.column_name === name);
      if (!twin) {
        throw storeError("TRAWL_ERR_STORE_COPY_FAILED", {
          url: "the PostgreSQL database",
          problem: `it has no column ${table}.${name} (is this trawl older than the SQLite database?)`,
        });
      }
      return { name, kind: KIND_OF[twin.data_type] ?? "text", pgType: twin.data_type };
    });
    const keyed = info.filter((c) => c.pk > 0).sort((a, b) => a.pk - b.pk);
    const identity = rows.find((r) => r.table_name === table && r.is_identity === "YES")?.column_name;
    return {
      table,
      columns,
      key: keyed.length > 0 ? keyed.map((c) => c.name) : info.map((c) => c.name),
      ...(identity !== undefined && { identity }),
    };
  });
}

function rank(table: string, first: readonly string[]): number {
  const index = first.indexOf(table);
  return index === -1 ? first.length : index;
}

/**
 * Locks the tables against writers (readers go on) and refuses a database holding any row but
 * the migrations' own, which are then removed for SQLite's.
 */
export async function checkEmpty(client: pg.PoolClient, shapes: TableShape[], url: string): Promise<void> {
  await client.query(`LOCK TABLE ${shapes.map((s) => `"${s.table}"`).join(", ")} IN EXCLUSIVE MODE`);
  const filled: string[] = [];
  for (const { table } of shapes) {
    const seeded = SEEDED[table];
    const { rows } = await client.query<{ found: boolean }>(
      `SELECT EXISTS (SELECT 1 FROM "${table}"${seeded ? ` WHERE NOT (${seeded})` : ""}) AS found`,
    );
    if (rows[0]!.found) filled.push(table);
  }
  if (filled.length > 0)
    throw storeError("TRAWL_ERR_STORE_COPY_NOT_EMPTY", { url, tables: filled.join(", ") });
  for (const table of Object.keys(SEEDED)) await client.query(`DELETE FROM "${table}"`);
}

/** Inserts `rows` (values in the shape's column order) in one statement. */
export async function insertRows(client: pg.PoolClient, shape: TableShape, rows: unknown[][]): Promise<void> {
  const names = shape.columns.map((c) => `"${c.name}"`).join(", ");
  const arrays = shape.columns.map((_, index) => rows.map((row) => pgParameter(row[index])));
  const unnest = shape.columns.map((c, index) => `$${index + 1}::${c.pgType}[]`).join(", ");
  try {
    await client.query(`INSERT INTO "${shape.table}" (${names}) SELECT * FROM unnest(${unnest})`, arrays);
  } catch (error) {
    throw storeError(
      "TRAWL_ERR_STORE_COPY_FAILED",
      {
        url: "the PostgreSQL database",
        problem: `it refused a row of ${shape.table}: ${(error as Error).message}`,
      },
      { cause: error },
    );
  }
}

/** A value for `pg`: SQLite's integers (bigint, exact) as their decimal text. */
function pgParameter(value: unknown): unknown {
  return typeof value === "bigint" ? value.toString() : value;
}

/** Moves each identity column's sequence past the largest copied id; the ids given next. */
export async function continueIdentities(
  client: pg.PoolClient,
  shapes: TableShape[],
): Promise<{ table: string; column: string; next: number }[]> {
  const moved = [];
  for (const { table, identity } of shapes) {
    if (identity === undefined) continue;
    // setval(…, max, true): the next id is max + 1; an empty table keeps its sequence at 1.
    const { rows } = await client.query<{ next: string | null }>(
      `SELECT setval(pg_get_serial_sequence($1, $2), max("${identity}")) + 1 AS next FROM "${table}"`,
      [table, identity],
    );
    moved.push({ table, column: identity, next: Number(rows[0]?.next ?? 1) });
  }
  return moved;
}

/** SHA-256 of a table's rows in key order; the same bytes whichever side the values come from. */
export class RowHash {
  private readonly hash: Hash = createHash("sha256");

  constructor(private readonly shape: TableShape) {}

  add(row: readonly unknown[]): void {
    for (const [index, column] of this.shape.columns.entries())
      this.hash.update(tagged(column.kind, row[index]));
    this.hash.update("\n");
  }

  digest(): string {
    return this.hash.digest("hex");
  }
}

/** A value as hashed: its kind, then its canonical text (length-prefixed, so no two rows collide). */
function tagged(kind: ValueKind, value: unknown): string | Buffer {
  if (value === null || value === undefined) return "N;";
  if (kind === "bytes") return `B${(value as Buffer).toString("hex")};`;
  if (kind === "float") return `F${String(Number(value))};`;
  if (kind === "integer") return `I${String(value)};`;
  const text = String(value);
  return `T${Buffer.byteLength(text)}:${text}`;
}

/** PostgreSQL's integers read as their exact decimal text, floats as numbers (the hash's canonical forms). */
const EXACT_TYPES = {
  getTypeParser(oid: number, format?: string) {
    if (oid === 20 || oid === 21 || oid === 23) return (text: string) => text;
    return pg.types.getTypeParser(oid, format as "text");
  },
} as pg.CustomTypesConfig;

/** Counts and hashes a table as PostgreSQL holds it (in the caller's transaction), through a cursor. */
export async function pgChecksum(
  client: pg.PoolClient,
  shape: TableShape,
): Promise<{ rows: number; sha256: string }> {
  const hash = new RowHash(shape);
  const columns = shape.columns.map((c) => `"${c.name}"`).join(", ");
  // Bytewise, as SQLite's BINARY order the copy read in.
  const order = shape.key
    .map((k) => `"${k}"${shape.columns.find((c) => c.name === k)?.kind === "text" ? ` COLLATE "C"` : ""}`)
    .join(", ");
  await client.query(
    `DECLARE copy_check NO SCROLL CURSOR FOR SELECT ${columns} FROM "${shape.table}" ORDER BY ${order}`,
  );
  let rows = 0;
  for (;;) {
    const batch = await client.query<unknown[]>({
      text: "FETCH 2000 FROM copy_check",
      rowMode: "array",
      types: EXACT_TYPES,
    });
    for (const row of batch.rows) hash.add(row);
    rows += batch.rows.length;
    if (batch.rows.length < 2000) break;
  }
  await client.query("CLOSE copy_check");
  return { rows, sha256: hash.digest() };
}
