import { observeCommits, openDatabase, type OpenDatabaseOptions } from "./database.ts";
import { SqliteActivityStore } from "./sqlite-activity.ts";
import { SqliteAuditStore } from "./sqlite-audit.ts";
import { SqliteCaptureStore } from "./sqlite-captures.ts";
import { SqliteDiagnosticsStore } from "./sqlite-diagnostics.ts";
import { SqliteHealthStore } from "./sqlite-health.ts";
import { SqliteRequestQueue } from "./sqlite-queue.ts";
import { SqliteRecordStore } from "./sqlite-records.ts";
import { SqliteRunStore } from "./sqlite-run-store.ts";
import { SqliteScheduleStore } from "./sqlite-schedules.ts";
import { SqliteSecretStore } from "./sqlite-secrets.ts";
import { SqliteLockStore } from "./sqlite-lock.ts";
import { SqliteValidatorStore } from "./sqlite-validators.ts";
import { SqliteLogStore, SqliteStepStore } from "./sqlite-steps-logs.ts";
import { SqliteWorkerStore } from "./sqlite-workers.ts";
import { FileBlobStore } from "./blob-store.ts";
import type { Store } from "./types.ts";
import { WorkerRequestQueue } from "./worker-request-queue.ts";

/**
 * Opens the SQLite store at `path` (see `openDatabase` for what opening checks). The queue's
 * writes run on a worker thread with its own connection (see `WorkerRequestQueue`); `close`
 * waits for them.
 */
export function openSqliteStore(path: string, options: OpenDatabaseOptions = {}): Store {
  const db = openDatabase(path, options);
  const queue = new WorkerRequestQueue(
    { path, busyTimeoutMs: options.busyTimeoutMs ?? 10_000 },
    new SqliteRequestQueue(db),
  );
  const logs = new SqliteLogStore(db);
  return {
    runs: new SqliteRunStore(db),
    queue,
    records: new SqliteRecordStore(db),
    steps: new SqliteStepStore(db),
    logs,
    schedules: new SqliteScheduleStore(db),
    captures: new SqliteCaptureStore(db),
    validators: new SqliteValidatorStore(db),
    activity: new SqliteActivityStore(db),
    health: new SqliteHealthStore(db),
    audit: new SqliteAuditStore(db),
    secrets: new SqliteSecretStore(db),
    lock: new SqliteLockStore(db),
    diagnostics: new SqliteDiagnosticsStore(db),
    workers: new SqliteWorkerStore(db),
    blobStore: (root) => new FileBlobStore(root),
    observeCommits: (observer) => observeCommits(db, observer),
    integrityCheck: async () =>
      (db.pragma("integrity_check") as { integrity_check: string }[]).map((row) => row.integrity_check),
    close: async () => {
      await queue.close();
      try {
        logs.flush(); // lines appended in this turn
      } catch {
        // They went out as events; closing the database matters more.
      }
      if (db.open) db.close();
    },
  };
}
