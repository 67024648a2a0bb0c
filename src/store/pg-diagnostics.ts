/**
 * What a PostgreSQL database says about itself, for the diagnostics bundle: the same
 * `DiagnosticsStore` as sqlite-diagnostics.ts, in PostgreSQL's terms. The schema comes from the
 * catalogue (PostgreSQL keeps no CREATE TABLE text: a table's is rebuilt from its columns and
 * constraints); the migration state from `trawl_migrations`; the check reads every table (each
 * page's checksum is verified as it is read, when the cluster has them) and, in full, checks
 * every b-tree index with amcheck when that extension is installed; the figures are the
 * server's version, its WAL level, its block size and the database's size in blocks.
 */
import type pg from "pg";
import type {
  DatabaseFigures,
  DiagnosticsStore,
  IntegrityCheckKind,
  MigrationState,
  SchemaObject,
} from "./diagnostics-types.ts";
import { pgMigrations } from "./pg-migrations.ts";

/** Problems a check lists at most (as SQLite's). */
const MAX_PROBLEMS = 100;

/** Objects of the current schema: tables, indexes, views, functions, triggers; see `schema`. */
const SCHEMA_SQL = `
  WITH ns AS (SELECT current_schema()::regnamespace AS oid)
  SELECT type, name, "table", sql FROM (
    SELECT 'table' AS type, c.relname AS name, c.relname AS "table", 0 AS rank,
           format('CREATE TABLE %I (%s)', c.relname, concat_ws(', ',
             (SELECT string_agg(format('%I %s%s%s', a.attname, format_type(a.atttypid, a.atttypmod),
                       CASE WHEN a.attnotnull THEN ' NOT NULL' ELSE '' END,
                       COALESCE(' DEFAULT ' || pg_get_expr(d.adbin, d.adrelid), '')), ', ' ORDER BY a.attnum)
              FROM pg_attribute a LEFT JOIN pg_attrdef d ON d.adrelid = a.attrelid AND d.adnum = a.attnum
              WHERE a.attrelid = c.oid AND a.attnum > 0 AND NOT a.attisdropped),
             (SELECT string_agg(format('CONSTRAINT %I %s', k.conname, pg_get_constraintdef(k.oid)), ', '
                                ORDER BY k.conname COLLATE "C")
              FROM pg_constraint k WHERE k.conrelid = c.oid))) AS sql
    FROM pg_class c, ns WHERE c.relnamespace = ns.oid AND c.relkind IN ('r', 'p')
    UNION ALL
    SELECT 'index', i.relname, t.relname, 1,
           CASE WHEN EXISTS (SELECT 1 FROM pg_constraint k
                             WHERE k.conindid = i.oid AND k.conrelid = t.oid AND k.contype IN ('p', 'u', 'x'))
                THEN NULL ELSE pg_get_indexdef(i.oid) END
    FROM pg_index x JOIN pg_class i ON i.oid = x.indexrelid JOIN pg_class t ON t.oid = x.indrelid, ns
    WHERE t.relnamespace = ns.oid
    UNION ALL
    SELECT 'view', c.relname, c.relname, 2, format('CREATE VIEW %I AS %s', c.relname, pg_get_viewdef(c.oid))
    FROM pg_class c, ns WHERE c.relnamespace = ns.oid AND c.relkind IN ('v', 'm')
    UNION ALL
    SELECT 'function', p.proname, p.proname, 3, rtrim(pg_get_functiondef(p.oid), E'\\n')
    FROM pg_proc p, ns WHERE p.pronamespace = ns.oid AND p.prokind IN ('f', 'p')
      AND NOT EXISTS (SELECT 1 FROM pg_depend e WHERE e.objid = p.oid AND e.deptype = 'e')
    UNION ALL
    SELECT 'trigger', g.tgname, t.relname, 4, pg_get_triggerdef(g.oid)
    FROM pg_trigger g JOIN pg_class t ON t.oid = g.tgrelid, ns
    WHERE NOT g.tgisinternal AND t.relnamespace = ns.oid
  ) AS objects
  ORDER BY rank, name COLLATE "C"`;

/** The database's schema, migrations, integrity and figures, for the diagnostics bundle. */
export class PgDiagnosticsStore implements DiagnosticsStore {
  constructor(private readonly pool: pg.Pool) {}

  async schema(): Promise<SchemaObject[]> {
    // Purpose: every table, index, view, function and trigger of trawl's schema with its SQL
    // (null for the indexes of primary keys and unique constraints, made by PostgreSQL itself),
    // tables first, in a stable order.
    return (await this.pool.query<SchemaObject>(SCHEMA_SQL)).rows;
  }

  async migrations(): Promise<MigrationState> {
    // Purpose: the migrations this database applied, by number.
    const { rows: applied } = await this.pool.query<{ version: number; name: string }>(
      `SELECT version, name FROM trawl_migrations ORDER BY version`,
    );
    const done = new Set(applied.map((m) => m.version));
    return {
      version: applied.at(-1)?.version ?? 0,
      latest: pgMigrations.at(-1)?.version ?? 0,
      applied,
      pending: pgMigrations
        .filter((m) => !done.has(m.version))
        .map(({ version, name }) => ({ version, name })),
    };
  }

  async check(kind: IntegrityCheckKind): Promise<string[]> {
    const client = await this.pool.connect();
    try {
      // Every row of every table, read from the table itself (an index could answer a count).
      await client.query(
        `SET enable_indexscan = off; SET enable_indexonlyscan = off; SET enable_bitmapscan = off`,
      );
      const problems: string[] = [];
      const attempt = async (what: string, sql: string, params: unknown[]) => {
        if (problems.length >= MAX_PROBLEMS) return;
        await client.query(sql, params).catch((error: Error) => problems.push(`${what}: ${error.message}`));
      };
      // Purpose: the tables and (for a full check, with amcheck) the b-tree indexes of the schema.
      const { rows } = await client.query<{ kind: string; name: string }>(
        `SELECT * FROM (SELECT 'table' AS kind, c.relname AS name FROM pg_class c
         WHERE c.relnamespace = current_schema()::regnamespace AND c.relkind IN ('r', 'p')
         UNION ALL
         SELECT 'index', c.relname FROM pg_class c JOIN pg_am m ON m.oid = c.relam
         WHERE $1 AND c.relnamespace = current_schema()::regnamespace AND c.relkind = 'i' AND m.amname = 'btree'
           AND EXISTS (SELECT 1 FROM pg_extension WHERE extname = 'amcheck')
         ) AS objects
         ORDER BY kind DESC, name COLLATE "C"`,
        [kind === "full"],
      );
      for (const { kind: what, name } of rows) {
        if (what === "table") await attempt(`table ${name}`, `SELECT count(*) FROM ${quoteIdent(name)}`, []);
        else await attempt(`index ${name}`, `SELECT bt_index_check($1::regclass, true)`, [quoteIdent(name)]);
      }
      return problems.length > 0 ? problems : ["ok"];
    } finally {
      await client.query("RESET ALL").catch(() => undefined);
      client.release();
    }
  }

  async figures(): Promise<DatabaseFigures> {
    // Purpose: the server's version, WAL level, block size and the database's size in blocks.
    const { rows } = await this.pool.query<{ version: string; wal: string; block: number; size: number }>(
      `SELECT 'PostgreSQL ' || current_setting('server_version') AS version, current_setting('wal_level') AS wal,
              current_setting('block_size')::integer AS block, pg_database_size(current_database()) AS size`,
    );
    const { version, wal, block, size } = rows[0]!;
    return {
      sqliteVersion: version,
      journalMode: `wal (wal_level ${wal})`,
      pageSize: block,
      pageCount: Math.ceil(size / block),
      // Free space lives in each table's free space map, not on one list; VACUUM reuses it.
      freePages: 0,
    };
  }
}

/** A name as an SQL identifier. */
function quoteIdent(name: string): string {
  return `"${name.replaceAll('"', '""')}"`;
}
