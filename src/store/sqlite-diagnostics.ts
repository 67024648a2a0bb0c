import type { SqliteDatabase } from "./database.ts";
import type {
  DatabaseFigures,
  DiagnosticsStore,
  IntegrityCheckKind,
  MigrationState,
  SchemaObject,
} from "./diagnostics-types.ts";
import { migrations } from "./migrations.ts";

/** Problems a check lists at most (SQLite's own default is 100). */
const MAX_PROBLEMS = 100;

/** The database's schema, migrations, integrity and figures, for the diagnostics bundle. */
export class SqliteDiagnosticsStore implements DiagnosticsStore {
  constructor(private readonly db: SqliteDatabase) {}

  async schema(): Promise<SchemaObject[]> {
    // Purpose: every table, index, view and trigger with its SQL, tables first, in a stable order.
    return this.db
      .prepare(
        `SELECT type, name, tbl_name AS "table", sql FROM sqlite_master
         ORDER BY CASE type WHEN 'table' THEN 0 WHEN 'index' THEN 1 WHEN 'view' THEN 2 ELSE 3 END, name`,
      )
      .all() as SchemaObject[];
  }

  async migrations(): Promise<MigrationState> {
    const version = this.db.pragma("user_version", { simple: true }) as number;
    const named = migrations.map(({ version: v, name }) => ({ version: v, name }));
    return {
      version,
      latest: named.at(-1)?.version ?? 0,
      applied: named.filter((m) => m.version <= version),
      pending: named.filter((m) => m.version > version),
    };
  }

  async check(kind: IntegrityCheckKind): Promise<string[]> {
    const pragma = kind === "quick" ? "quick_check" : "integrity_check";
    const rows = this.db.pragma(`${pragma}(${MAX_PROBLEMS})`) as Record<string, string>[];
    return rows.map((row) => Object.values(row)[0]!);
  }

  async figures(): Promise<DatabaseFigures> {
    const simple = (name: string) => this.db.pragma(name, { simple: true }) as number | string;
    return {
      sqliteVersion: (this.db.prepare("SELECT sqlite_version() AS v").get() as { v: string }).v,
      journalMode: String(simple("journal_mode")),
      pageSize: Number(simple("page_size")),
      pageCount: Number(simple("page_count")),
      freePages: Number(simple("freelist_count")),
    };
  }
}
