/**
 * The PostgreSQL store's database (issue 17, items 1 and 2), on the suite's real PostgreSQL:
 * every table and column of the SQLite schema has its PostgreSQL twin (a new SQLite migration
 * cannot leave PostgreSQL behind); processes opening the database together migrate it once; a
 * newer database and an unreachable server are refused with errors that name the server, never
 * its password; the audit log refuses updates, deletes and truncation.
 */
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import Database from "better-sqlite3";
import type pg from "pg";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { openPgDatabase } from "../../src/store/pg-database.ts";
import { pgMigrations } from "../../src/store/pg-migrations.ts";
import { openSqliteStore } from "../../src/store/index.ts";
import { freshDatabase, type TestDatabase } from "../fixtures/postgres.ts";

let db: TestDatabase;
let pool: pg.Pool;

beforeAll(async () => {
  db = await freshDatabase("schema");
  pool = await openPgDatabase(db.url);
});

afterAll(async () => {
  await pool?.end();
  await db?.drop();
});

/** The error `opening` fails with. */
async function failureOf(opening: Promise<unknown>): Promise<Error & { code: string }> {
  const error = await opening.then(
    () => undefined,
    (failure: unknown) => failure as Error & { code: string },
  );
  expect(error).toBeInstanceOf(Error);
  return error!;
}

/** Columns by table of a fresh SQLite store. */
async function sqliteColumns(): Promise<Map<string, string[]>> {
  const dir = mkdtempSync(join(tmpdir(), "trawl-schema-"));
  try {
    await openSqliteStore(join(dir, "trawl.db")).close();
    const sqlite = new Database(join(dir, "trawl.db"), { readonly: true });
    const tables = sqlite
      .prepare(`SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'`)
      .pluck()
      .all() as string[];
    const columns = new Map(
      tables.map((table) => [
        table,
        (sqlite.prepare(`PRAGMA table_info("${table}")`).all() as { name: string }[]).map((c) => c.name),
      ]),
    );
    sqlite.close();
    return columns;
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

describe("the PostgreSQL schema", () => {
  it("has every table and column of the SQLite schema", async () => {
    const { rows } = await pool.query<{ table_name: string; column_name: string }>(
      `SELECT table_name, column_name FROM information_schema.columns WHERE table_schema = 'public'`,
    );
    const missing: string[] = [];
    for (const [table, columns] of await sqliteColumns()) {
      for (const column of columns)
        if (!rows.some((r) => r.table_name === table && r.column_name === column))
          missing.push(`${table}.${column}`);
    }
    expect(missing).toEqual([]);
  });

  it("is migrated once when several processes open it together", async () => {
    const other = await freshDatabase("together");
    try {
      const pools = await Promise.all([1, 2, 3, 4].map(() => openPgDatabase(other.url)));
      const { rows } = await pools[0]!.query("SELECT version FROM trawl_migrations ORDER BY version");
      expect(rows).toEqual(pgMigrations.map(({ version }) => ({ version })));
      await Promise.all(pools.map((p) => p.end()));
    } finally {
      await other.drop();
    }
  });

  it("refuses a database a newer trawl wrote, and names the server without its password", async () => {
    const newer = await freshDatabase("newer");
    try {
      const first = await openPgDatabase(newer.url);
      await first.query(`INSERT INTO trawl_migrations (version, name) VALUES (99, 'from the future')`);
      await first.end();
      const refused = await failureOf(openPgDatabase(newer.url));
      expect(refused.code).toBe("TRAWL_ERR_STORE_SCHEMA_TOO_NEW");
      expect(refused.message).toContain("schema version 99");
      expect(refused.message).not.toContain(new URL(newer.url).password);
    } finally {
      await newer.drop();
    }
    const url = new URL(db.url);
    url.port = "1";
    const unreachable = await failureOf(openPgDatabase(url.toString()));
    expect(unreachable.code).toBe("TRAWL_ERR_STORE_CONNECT");
    expect(unreachable.message).toContain("127.0.0.1:1");
    expect(unreachable.message).not.toContain(url.password);
  });

  it("reads bigint columns as numbers, as SQLite's integers", async () => {
    const { rows } = await pool.query<{ n: unknown }>("SELECT 1733400000000::bigint AS n");
    expect(rows[0]!.n).toBe(1_733_400_000_000);
  });

  it("keeps the audit log append-only", async () => {
    await pool.query(
      `INSERT INTO audit_log (seq, at, actor, action, details, prev_hash, hash) VALUES (1, 0, 'cli', 'x', '{}', '', 'h')`,
    );
    for (const sql of [`UPDATE audit_log SET action = 'y'`, `DELETE FROM audit_log`, `TRUNCATE audit_log`]) {
      await expect(pool.query(sql)).rejects.toThrow(/append-only/);
    }
    expect((await pool.query("SELECT count(*)::int AS n FROM audit_log")).rows).toEqual([{ n: 1 }]);
  });
});
