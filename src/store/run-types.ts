/** Storage contract of runs: the stored run, its creation, its status changes and its owner. */
import type { RunControl, StepStatus } from "../core/contract/runs.ts";
import type { RunStatus } from "../core/index.ts";

/** A control command written by any process and obeyed by the process that executes the run. */
export type { RunControl } from "../core/contract/runs.ts";

/** A stored run. */
export interface RunRecord {
  id: string;
  scraper: string;
  /** Path of the definition file the run was started from. */
  source: string | null;
  definitionHash: string;
  status: RunStatus;
  createdAt: number;
  startedAt: number | null;
  finishedAt: number | null;
  updatedAt: number;
  error: string | null;
  /** The process executing the run (`host:pid:nonce`), or null when nobody does. */
  owner: string | null;
  heartbeatAt: number | null;
  /** A command waiting for the owner. */
  control: RunControl | null;
  pauseReason: string | null;
  breakpoints: string[];
  /** Target names in definition order. */
  targets: string[];
  /** Step names in order, `crawl` first. */
  steps: string[];
  stats: Record<string, unknown>;
  datasetName: string | null;
  datasetVersion: number | null;
  options: RunOptions;
  /**
   * The fields identifying a record across runs, fixed at creation (the definition's `key:`, else
   * its last dedupe key); null: none, records are compared by position.
   */
  recordKey: string[] | null;
}

/** How a run was asked to run; fixed at creation, kept across resumes. */
export interface RunOptions {
  /** Capture every response the run uses, browser actions and screenshots (`trawl run --record`). */
  record?: boolean;
  /** What the start sources read when the run was created; a resume reads the same. */
  startData?: StartDataPins;
}

/** The data a run's start URLs came from, fixed when the run is created. */
export interface StartDataPins {
  /** Dataset name → the version the run started from (the latest then). */
  datasets: Record<string, number>;
  /** Start file (absolute path) → SHA-256 of its bytes then; a resume warns when it changed. */
  files: Record<string, string>;
}

/** What creating a run needs. */
export interface NewRun {
  scraper: string;
  source: string | null;
  definitionHash: string;
  targets: string[];
  steps: { name: string; kind: string }[];
  breakpoints: string[];
  options?: RunOptions;
  /** See {@link RunRecord.recordKey}. @defaultValue null */
  recordKey?: readonly string[] | null;
}

/** Steps in one of the states `from` move to `to` (see {@link RunStore.transition}). */
export interface StepSettlement {
  from: StepStatus[];
  to: StepStatus;
}

/** A change of a run's status: the new fields, the statuses it may come from, its steps' moves. */
export interface RunTransition {
  patch: Partial<RunRecord> & { status: RunStatus };
  expect?: RunStatus[];
  steps: readonly StepSettlement[];
}

/** Filter for listing runs; newest first. */
export interface RunFilter {
  scraper?: string;
  /** Only runs whose scraper name contains this text, ignoring case (ASCII letters). */
  scraperContains?: string;
  statuses?: RunStatus[];
  limit?: number;
  /** Only runs with a smaller id (older): the next page after a page ending with this id. */
  before?: string;
  /** Only runs created at or after this instant. */
  createdFrom?: number;
  /** Only runs created before this instant. */
  createdUntil?: number;
  /** Only runs changed after this instant (by `updated_at`), oldest change first. */
  updatedAfter?: number;
}

/** How many runs are in each status; for live runs (queued, running, paused), their requests by state. */
export interface RunCensus {
  runs: { status: RunStatus; count: number }[];
  /** `state`: pending, leased, done or failed; `records`: what those requests yielded. */
  requests: { status: RunStatus; state: string; count: number; records: number }[];
}

export interface RunStore {
  /** Creates a run in state `queued` with a fresh id, and its steps as `pending`. */
  create(run: NewRun, now: number): Promise<RunRecord>;
  get(id: string): Promise<RunRecord | null>;
  list(filter?: RunFilter): Promise<RunRecord[]>;
  /** Sets fields of a run; when `expect` is given the update only happens from those statuses. Resolves true if updated. */
  update(id: string, patch: Partial<RunRecord>, expect?: RunStatus[]): Promise<boolean>;
  /**
   * Changes a run's status with other fields, and its steps' states as `steps` says, in one
   * transaction: no reader ever sees an ended run with a running step. Only from `expect` when
   * given. Resolves true if the run was updated.
   */
  transition(id: string, change: RunTransition): Promise<boolean>;
  /** Takes ownership if nobody owns the run or the owner's heartbeat is older than `staleBefore`. */
  claim(id: string, owner: string, now: number, staleBefore: number): Promise<boolean>;
  /** Records a heartbeat and returns the pending control command (clearing it), if any. */
  heartbeat(id: string, owner: string, now: number): Promise<RunControl | null>;
  /** Queues a control command for whoever executes the run (and, on a shared database, tells its workers). */
  requestControl(id: string, control: RunControl): Promise<void>;
  /**
   * A shared database: calls `listener` when any process asks a run to pause, resume, stop or
   * cancel; returns the function that stops listening. Best effort: workers poll the run too.
   */
  watchControls?(listener: (runId: string, control: RunControl) => void): () => void;
  /**
   * A shared database: stores the fetch statistics of `worker`'s share of the run so far
   * (replacing what it stored before).
   */
  saveShareStats?(id: string, worker: string, stats: unknown, now: number): Promise<void>;
  /** A shared database: the fetch statistics of every worker's share of the run, by worker. */
  shareStats?(id: string): Promise<{ worker: string; stats: unknown }[]>;
  /** A shared database: tells a run's workers of a command its coordinator, the caller, applied itself. */
  announceControl?(id: string, control: RunControl): Promise<void>;
  /** Runs per status and live runs' requests per state, for the metrics (see {@link RunCensus}). */
  census(): Promise<RunCensus>;
}
