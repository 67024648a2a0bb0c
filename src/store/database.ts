import Database from "better-sqlite3";
import { existsSync, mkdirSync } from "node:fs";
import { dirname, join } from "node:path";
import { CorruptDatabaseError, SchemaTooNewError } from "./errors.ts";
import { migrations, type Migration } from "./migrations.ts";

export type SqliteDatabase = Database.Database;

/** How to open the database. */
export interface OpenDatabaseOptions {
  /** Where backups go before a migration. @defaultValue `<dir of path>/backups` */
  backupDir?: string;
  /** Milliseconds a writer waits for another process's lock. @defaultValue 10000 */
  busyTimeoutMs?: number;
  /** Overrides the shipped migrations (tests). */
  migrations?: readonly Migration[];
}

/**
 * Opens (creating if absent) the SQLite database at `path`: WAL, a busy timeout, foreign keys,
 * an integrity check (a corrupt file is refused, never recreated), then pending migrations, each
 * in its own transaction, after a backup of the existing file.
 */
export function openDatabase(path: string, options: OpenDatabaseOptions = {}): SqliteDatabase {
  mkdirSync(dirname(path), { recursive: true });
  const existed = existsSync(path);
  const db = new Database(path, { timeout: options.busyTimeoutMs ?? 10_000 });
  try {
    if (existed) checkIntegrity(db, path);
    db.pragma("journal_mode = WAL");
    // NORMAL keeps every committed transaction across a process kill (WAL is in the OS cache);
    // only a power loss may drop the last ones.
    db.pragma("synchronous = NORMAL");
    db.pragma("foreign_keys = ON");
    migrate(db, path, options.migrations ?? migrations, options.backupDir ?? join(dirname(path), "backups"));
    return db;
  } catch (error) {
    db.close();
    throw error;
  }
}

function checkIntegrity(db: SqliteDatabase, path: string): void {
  let rows: { integrity_check: string }[];
  try {
    rows = db.pragma("integrity_check") as { integrity_check: string }[];
  } catch (error) {
    throw new CorruptDatabaseError(path, [(error as Error).message], { cause: error });
  }
  const problems = rows.map((row) => row.integrity_check).filter((line) => line !== "ok");
  if (problems.length > 0) throw new CorruptDatabaseError(path, problems);
}

function migrate(db: SqliteDatabase, path: string, all: readonly Migration[], backupDir: string): void {
  const current = db.pragma("user_version", { simple: true }) as number;
  const latest = all.at(-1)?.version ?? 0;
  if (current > latest) throw new SchemaTooNewError(path, current, latest);
  const pending = all.filter((migration) => migration.version > current);
  if (pending.length === 0) return;
  if (current > 0) backup(db, backupDir, current);
  for (const migration of pending) {
    db.transaction(() => {
      // Another process opening the same file at once may have applied it since `current` was read.
      if ((db.pragma("user_version", { simple: true }) as number) >= migration.version) return;
      db.exec(migration.sql);
      db.pragma(`user_version = ${migration.version}`);
    }).immediate();
  }
}

function backup(db: SqliteDatabase, backupDir: string, version: number): void {
  mkdirSync(backupDir, { recursive: true });
  const stamp = new Date().toISOString().replace(/[:.]/g, "-");
  const target = join(backupDir, `trawl-v${version}-${stamp}.db`);
  db.prepare("VACUUM INTO ?").run(target);
}

/** Told how long each write transaction of a connection took, in seconds (the metrics' commit latency). */
export type CommitObserver = (seconds: number) => void;

/** Observers per connection: a database without any pays one map lookup per transaction. */
const commitObservers = new WeakMap<SqliteDatabase, Set<CommitObserver>>();

/** Calls `observer` after each {@link writeTransaction} on `db`, committed or not; returns the unsubscribe function. */
export function observeCommits(db: SqliteDatabase, observer: CommitObserver): () => void {
  const observers = commitObservers.get(db) ?? new Set();
  commitObservers.set(db, observers.add(observer));
  return () => observers.delete(observer);
}

/** Runs `work` in a `BEGIN IMMEDIATE` transaction: the write lock is taken up front, so two writers never deadlock on upgrade. */
export function writeTransaction<T>(db: SqliteDatabase, work: () => T): T {
  const observers = commitObservers.get(db);
  if (!observers?.size) return db.transaction(work).immediate();
  const start = performance.now();
  try {
    return db.transaction(work).immediate();
  } finally {
    // From BEGIN IMMEDIATE (its wait for the write lock included) to COMMIT or ROLLBACK.
    const seconds = (performance.now() - start) / 1000;
    for (const observer of observers) observer(seconds);
  }
}
