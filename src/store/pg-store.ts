/**
 * The PostgreSQL store (issue 17), selected by `TRAWL_DATABASE_URL`: the same `Store` as
 * SQLite's, each repository's SQL in its `pg-*.ts`; their contract tests run on both backends
 * (test/store/backends.ts).
 */
import type pg from "pg";
import { PgActivityStore } from "./pg-activity.ts";
import { PgAuditStore } from "./pg-audit.ts";
import { PgBlobStore } from "./pg-blobs.ts";
import { PgCaptureStore } from "./pg-captures.ts";
import { PgDatasetFiles } from "./pg-dataset-files.ts";
import { openPgDatabase, type OpenPgOptions } from "./pg-database.ts";
import { PgDiagnosticsStore } from "./pg-diagnostics.ts";
import { PgHealthStore } from "./pg-health.ts";
import { PgHostGateStore } from "./pg-host-gates.ts";
import { PgLockStore } from "./pg-lock.ts";
import { PgRequestQueue } from "./pg-queue.ts";
import { PgRecordStore } from "./pg-records.ts";
import { PgRunStore } from "./pg-run-store.ts";
import { PgLogStore, PgStepStore } from "./pg-steps-logs.ts";
import { PgScheduleStore } from "./pg-schedules.ts";
import { PgSecretStore } from "./pg-secrets.ts";
import { PgValidatorStore } from "./pg-validators.ts";
import { PgWorkerStore } from "./pg-workers.ts";
import type { Store } from "./types.ts";

/** Repositories of `Store` (everything but its functions). */
type Repository = Exclude<keyof Store, "observeCommits" | "integrityCheck" | "close" | "blobStore">;

/** The repositories over `pool`. */
function repositories(pool: pg.Pool, options: OpenPgOptions): Pick<Store, Repository> & { logs: PgLogStore } {
  return {
    runs: new PgRunStore(pool),
    queue: new PgRequestQueue(pool, { ...(options.leaseMs !== undefined && { leaseMs: options.leaseMs }) }),
    records: new PgRecordStore(pool),
    steps: new PgStepStore(pool),
    logs: new PgLogStore(pool),
    schedules: new PgScheduleStore(pool),
    captures: new PgCaptureStore(pool),
    validators: new PgValidatorStore(pool),
    activity: new PgActivityStore(pool),
    health: new PgHealthStore(pool),
    audit: new PgAuditStore(pool),
    secrets: new PgSecretStore(pool),
    lock: new PgLockStore(pool),
    diagnostics: new PgDiagnosticsStore(pool),
    datasetFiles: new PgDatasetFiles(pool),
    workers: new PgWorkerStore(pool),
    hostGates: new PgHostGateStore(pool),
  };
}

/** Opens the PostgreSQL store at `url` (see `openPgDatabase` for what opening does). */
export async function openPgStore(url: string, options: OpenPgOptions = {}): Promise<Store> {
  const pool = await openPgDatabase(url, options);
  const observers = new Set<(seconds: number) => void>();
  const repos = repositories(pool, options);
  return {
    ...repos,
    blobStore: (root) => new PgBlobStore(pool, root),
    observeCommits: (observer) => {
      observers.add(observer);
      return () => observers.delete(observer);
    },
    // PostgreSQL checks pages as it reads them (and amcheck is an extension): a query that
    // reaches the catalogue is the check there is.
    integrityCheck: async () => {
      await pool.query("SELECT count(*) FROM pg_class");
      return ["ok"];
    },
    close: async () => {
      // Lines appended in this turn; a failed write went out as events, closing matters more.
      await repos.logs.close().catch(() => undefined);
      await pool.end();
    },
  };
}
