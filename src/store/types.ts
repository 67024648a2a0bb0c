import type { ActivityStore } from "./activity-types.ts";
import type { AuditStore } from "./audit-types.ts";
import type { CaptureStore } from "./capture-types.ts";
import type { DiagnosticsStore } from "./diagnostics-types.ts";
import type { HealthStore } from "./health-types.ts";
import type { LogStore } from "./log-types.ts";
import type { RequestQueue } from "./queue-types.ts";
import type { RecordStore } from "./record-types.ts";
import type { RunStore } from "./run-types.ts";
import type { ScheduleStore } from "./schedule-types.ts";
import type { SecretStore } from "./secret-types.ts";
import type { LockStore } from "./lock-types.ts";
import type { StepStore } from "./step-types.ts";
import type { ValidatorStore } from "./validator-types.ts";
import type { BlobStore } from "./blob-store.ts";
import type { DatasetFileStore } from "./dataset-file-types.ts";
import type { WorkerStore } from "./worker-types.ts";
import type { HostGateStore } from "./host-gate-types.ts";
export type {
  QueriedRecord,
  RecordFilter,
  RecordQuery,
  RecordQueryPage,
  RecordSelection,
  RecordSort,
} from "./record-query.ts";
export type * from "./run-types.ts";
export type * from "./queue-types.ts";
export type * from "./record-types.ts";
export type * from "./step-types.ts";
export type * from "./log-types.ts";
export type * from "./capture-types.ts";
export type * from "./activity-types.ts";
export type * from "./health-types.ts";
export type * from "./audit-types.ts";
export type * from "./secret-types.ts";
export type * from "./lock-types.ts";
export type * from "./diagnostics-types.ts";
export type * from "./dataset-file-types.ts";
export type * from "./worker-types.ts";
export type * from "./host-gate-types.ts";

/**
 * Storage contracts. The engine talks only to these interfaces; SQLite implements them now,
 * PostgreSQL later. Methods are async so a networked backend fits the same shape. Each
 * repository's contract lives in its own file (`run-types.ts`, `queue-types.ts`, …).
 */

/** Every repository of one database. */
export interface Store {
  runs: RunStore;
  queue: RequestQueue;
  records: RecordStore;
  steps: StepStore;
  logs: LogStore;
  schedules: ScheduleStore;
  captures: CaptureStore;
  /** Validators and body references of `cache: revalidate`, per scraper and URL. */
  validators: ValidatorStore;
  activity: ActivityStore;
  health: HealthStore;
  /** The audit log: append-only, hash-chained entries (checked by src/security). */
  audit: AuditStore;
  /** The secrets vault's wrapped data key and encrypted secrets. */
  secrets: SecretStore;
  /** The app lock: the PIN's hash, the failed-attempt counter, sessions and API tokens. */
  lock: LockStore;
  /** What the database says about itself: schema, migrations, integrity (the diagnostics bundle). */
  diagnostics: DiagnosticsStore;
  /** The fleet: the processes executing runs, as each last reported itself (`trawl workers`). */
  workers: WorkerStore;
  /**
   * Dataset versions kept in the database, so every machine reads them: PostgreSQL's. SQLite has
   * none (its datasets are the data directory's files).
   */
  datasetFiles?: DatasetFileStore;
  /**
   * Per-host send slots, `Retry-After` blocks and robots.txt shared by the processes of a run
   * (workers on several machines): PostgreSQL's. SQLite has none (one process per run, whose
   * fetcher keeps them in memory).
   */
  hostGates?: HostGateStore;
  /**
   * The blob store of recorded bodies with its files under `root` (the data directory's `blobs`):
   * those files alone on SQLite; on PostgreSQL the database's `blobs` table, the files its cache.
   */
  blobStore(root: string): BlobStore;
  /**
   * Calls `observer` with the seconds each write transaction of this process's main connection
   * took (the queue's writes on its worker thread are not seen); returns the unsubscribe function.
   */
  observeCommits(observer: (seconds: number) => void): () => void;
  /** Result of `PRAGMA integrity_check` (or the backend's equivalent). */
  integrityCheck(): Promise<string[]>;
  close(): Promise<void>;
}
