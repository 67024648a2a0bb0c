/** Storage contract of what the diagnostics bundle reads about the database itself (docs/diagnostics.md). */

/** One object of the schema (`sqlite_master`): a table, index, view or trigger and its SQL. */
export interface SchemaObject {
  type: string;
  name: string;
  /** The table an index or trigger belongs to (a table's own name for a table). */
  table: string;
  /** `null` for the indexes SQLite makes itself (primary keys, `UNIQUE`). */
  sql: string | null;
}

/** The schema's version and the migrations applied to reach it, and those still to apply. */
export interface MigrationState {
  /** The database's schema version (SQLite's `user_version`). */
  version: number;
  /** The newest migration this build of trawl ships. */
  latest: number;
  applied: { version: number; name: string }[];
  pending: { version: number; name: string }[];
}

/**
 * How thoroughly to check the database: `quick` (`PRAGMA quick_check`: every page and b-tree,
 * not whether indexes agree with their tables; linear time) or `full` (`PRAGMA integrity_check`).
 */
export type IntegrityCheckKind = "quick" | "full";

/** Sizes and settings of the database file. */
export interface DatabaseFigures {
  sqliteVersion: string;
  journalMode: string;
  pageSize: number;
  pageCount: number;
  /** Pages on the free list (reclaimed by `VACUUM`). */
  freePages: number;
}

/** What the database says about itself. */
export interface DiagnosticsStore {
  schema(): Promise<SchemaObject[]>;
  migrations(): Promise<MigrationState>;
  /** The check's lines: `["ok"]` when it found nothing wrong (at most 100 problems otherwise). */
  check(kind: IntegrityCheckKind): Promise<string[]>;
  figures(): Promise<DatabaseFigures>;
}
