/**
 * Opens the PostgreSQL store's database (issue 17): a connection pool, and its pending migrations
 * applied in one transaction under an advisory lock, so that workers starting together on several
 * machines migrate once and none sees a half-built schema. A database written by a newer trawl
 * is refused. Connection errors name the server, never its password.
 */
import pg from "pg";
import { SchemaTooNewError, storeError } from "./errors.ts";
import { pgMigrations, type PgMigration } from "./pg-migrations.ts";

// bigint columns (times in ms, ids, sizes) come back as numbers, as SQLite's integers do: every
// value trawl stores in one is far below 2^53. A per-pool parser would miss pools made elsewhere.
pg.types.setTypeParser(pg.types.builtins.INT8, (value) => Number(value));

/** The advisory lock key of migrations (any constant; "trawl" in ASCII). */
const MIGRATION_LOCK = 0x747261776c;

/** How to open the database. */
export interface OpenPgOptions {
  /** Connections of the pool. @defaultValue 10 */
  maxConnections?: number;
  /** Overrides the shipped migrations (tests). */
  migrations?: readonly PgMigration[];
  /** How long a lease of the request queue lasts without renewal (see `PgQueueOptions`). */
  leaseMs?: number;
}

/** `postgres://user:***@host:port/db`: a database URL fit for a message. */
export function describePgUrl(url: string): string {
  try {
    const parsed = new URL(url);
    if (parsed.password) parsed.password = "***";
    return parsed.toString();
  } catch {
    return "(a malformed database URL)";
  }
}

/**
 * Connects to the database at `url` and applies its pending migrations.
 *
 * @throws `TRAWL_ERR_STORE_CONNECT` when the server cannot be reached or refuses the login;
 * `TRAWL_ERR_STORE_SCHEMA_TOO_NEW` when the database is newer than this trawl.
 */
export async function openPgDatabase(url: string, options: OpenPgOptions = {}): Promise<pg.Pool> {
  const pool = new pg.Pool({ connectionString: url, max: options.maxConnections ?? 10 });
  // An idle connection the server drops (a restart) must not crash the process.
  pool.on("error", () => undefined);
  try {
    await migrate(pool, url, options.migrations ?? pgMigrations);
    return pool;
  } catch (error) {
    await pool.end();
    if (error instanceof SchemaTooNewError) throw error;
    throw storeError(
      "TRAWL_ERR_STORE_CONNECT",
      { url: describePgUrl(url), problem: (error as Error).message },
      { cause: error },
    );
  }
}

async function migrate(pool: pg.Pool, url: string, all: readonly PgMigration[]): Promise<void> {
  const client = await pool.connect();
  try {
    await client.query("BEGIN");
    await client.query("SELECT pg_advisory_xact_lock($1)", [MIGRATION_LOCK]);
    await client.query(
      `CREATE TABLE IF NOT EXISTS trawl_migrations (
         version integer PRIMARY KEY,
         name text NOT NULL,
         applied_at timestamptz NOT NULL DEFAULT now()
       )`,
    );
    const { rows } = await client.query<{ version: number | null }>(
      "SELECT max(version) AS version FROM trawl_migrations",
    );
    const current = rows[0]?.version ?? 0;
    const latest = all.at(-1)?.version ?? 0;
    if (current > latest) throw new SchemaTooNewError(describePgUrl(url), current, latest);
    for (const migration of all.filter((m) => m.version > current)) {
      await client.query(migration.sql);
      await client.query("INSERT INTO trawl_migrations (version, name) VALUES ($1, $2)", [
        migration.version,
        migration.name,
      ]);
    }
    await client.query("COMMIT");
  } catch (error) {
    await client.query("ROLLBACK").catch(() => undefined);
    throw error;
  } finally {
    client.release();
  }
}

/** A connection of the pool, or the pool itself: what a query runs on. */
export type PgQueryable = pg.Pool | pg.PoolClient;

/**
 * Runs `work` in one transaction on one connection of `pool`: committed when it resolves, rolled
 * back when it throws. Writes that belong together (a request marked done, its records, its
 * links) go through here.
 */
export async function pgTransaction<T>(
  pool: pg.Pool,
  work: (client: pg.PoolClient) => Promise<T>,
): Promise<T> {
  const client = await pool.connect();
  try {
    await client.query("BEGIN");
    const result = await work(client);
    await client.query("COMMIT");
    return result;
  } catch (error) {
    await client.query("ROLLBACK").catch(() => undefined);
    throw error;
  } finally {
    client.release();
  }
}
