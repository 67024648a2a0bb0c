import { openDatabase, type OpenDatabaseOptions } from "./database.ts";
import { SqliteRequestQueue } from "./sqlite-queue.ts";
import { SqliteRecordStore } from "./sqlite-records.ts";
import { SqliteRunStore } from "./sqlite-run-store.ts";
import { SqliteLogStore, SqliteStepStore } from "./sqlite-steps-logs.ts";
import type { Store } from "./types.ts";

/** Opens the SQLite store at `path` (see `openDatabase` for what opening checks). */
export function openSqliteStore(path: string, options: OpenDatabaseOptions = {}): Store {
  const db = openDatabase(path, options);
  return {
    runs: new SqliteRunStore(db),
    queue: new SqliteRequestQueue(db),
    records: new SqliteRecordStore(db),
    steps: new SqliteStepStore(db),
    logs: new SqliteLogStore(db),
    integrityCheck: async () =>
      (db.pragma("integrity_check") as { integrity_check: string }[]).map((row) => row.integrity_check),
    close: async () => {
      if (db.open) db.close();
    },
  };
}
