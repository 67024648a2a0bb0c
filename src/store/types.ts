import type { ActivityKind } from "../core/contract/activity.ts";
import type { CaptureKind } from "../core/contract/captures.ts";
import type { FailureGroup, RunControl, StepStatus } from "../core/contract/runs.ts";
import type { LogLevel, RunStatus } from "../core/events.ts";
import type { QueriedRecord, RecordQuery, RecordQueryPage, RecordSelection } from "./record-query.ts";
import type { ScheduleStore } from "./schedule-types.ts";
export type {
  QueriedRecord,
  RecordFilter,
  RecordQuery,
  RecordQueryPage,
  RecordSelection,
  RecordSort,
} from "./record-query.ts";

/**
 * Storage contracts. The engine talks only to these interfaces; SQLite implements them now,
 * PostgreSQL later. Methods are async so a networked backend fits the same shape.
 */

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
  /** Queues a control command for whoever executes the run. */
  requestControl(id: string, control: RunControl): Promise<void>;
}

/** A request in a run's queue. */
export interface QueuedRequest {
  id: number;
  url: string;
  pageType: string;
  target: string;
  depth: number;
}

/** A URL to enqueue; duplicates of a URL already in the run's queue are ignored. */
export interface NewRequest {
  url: string;
  pageType: string;
  target: string;
  depth: number;
}

/** How one request ended. */
export type RequestOutcome =
  { ok: true; httpStatus: number } | { ok: false; httpStatus?: number; reason: string; error: string };

/** How one leased request ended, with what it produced. */
export interface Completion {
  requestId: number;
  /** The request's URL when the caller has it at hand (saves a lookup). */
  url?: string;
  outcome: RequestOutcome;
  records: { target: string; data: unknown }[];
  links: NewRequest[];
}

/** Counters of one target, from the queue. */
export interface TargetCounts {
  target: string;
  pending: number;
  leased: number;
  done: number;
  failed: number;
  records: number;
}

/** Failed requests of one reason code, with one of their URLs. */
export type { FailureGroup } from "../core/contract/runs.ts";

export interface RequestQueue {
  /** Adds requests; resolves to how many were new. */
  enqueue(runId: string, requests: NewRequest[], now: number): Promise<number>;
  /** Leases up to `limit` pending requests, oldest first. */
  lease(runId: string, owner: string, limit: number, now: number): Promise<QueuedRequest[]>;
  /** Returns every leased request of the run to pending (after a crash or a stop). */
  reclaim(runId: string, now: number): Promise<number>;
  /**
   * Atomically: marks the request finished, stores its records (crawl stage) and enqueues the
   * links it found. This single transaction is what makes resume exact. Resolves to the number
   * of links that were new, or -1 when the request was no longer leased (nothing was stored).
   */
  complete(
    runId: string,
    requestId: number,
    outcome: RequestOutcome,
    records: { target: string; data: unknown }[],
    links: NewRequest[],
    now: number,
  ): Promise<number>;
  /**
   * `complete` for several requests in one transaction (each one stays all-or-nothing); resolves
   * to each one's count of new links, -1 where nothing was stored.
   */
  completeMany(runId: string, completions: Completion[], now: number): Promise<number[]>;
  /** Returns a leased request to pending without finishing it. */
  release(runId: string, requestIds: number[], now: number): Promise<void>;
  counts(runId: string): Promise<TargetCounts[]>;
  /** Failed requests grouped by reason. */
  failures(runId: string): Promise<FailureGroup[]>;
}

/** A stored record with the URL of the page it came from (null: unknown). */
export interface SourcedRecord {
  data: unknown;
  source: string | null;
}

export interface RecordStore {
  /** Records of a stage in their stable order (crawl stage: by URL, then position on the page). */
  read(runId: string, stage: number, batchSize?: number): AsyncIterable<unknown>;
  /** The same records a page (of at most `batchSize`) at a time: one await per page, not per record. */
  readPages(runId: string, stage: number, batchSize?: number): AsyncIterable<unknown[]>;
  /** The same pages, each record with the URL of the page it came from. */
  readSourcedPages(runId: string, stage: number, batchSize?: number): AsyncIterable<SourcedRecord[]>;
  /** The record at `position` in the stage's order, with its source; undefined past the end. */
  at(runId: string, stage: number, position: number): Promise<SourcedRecord | undefined>;
  count(runId: string, stage: number): Promise<number>;
  /**
   * One page of a stage's records matching `query`: sorted, searched and filtered over all the
   * stage's records (not a page of them), with the matching total and a cursor for the next page
   * (see record-query.ts for the exact meaning of each part, which every backend keeps).
   * @throws {RecordQueryError} a sort or filter field no record has, a filter without its value,
   *   a cursor of another query.
   */
  query(runId: string, stage: number, query: RecordQuery): Promise<RecordQueryPage>;
  /** Every record `selection` matches, in its order, a page (of at most `batchSize`) at a time. */
  queryPages(
    runId: string,
    stage: number,
    selection: RecordSelection,
    batchSize?: number,
  ): AsyncIterable<QueriedRecord[]>;
  /**
   * Appends records of a step's output stage, continuing the stage's order; `sources[i]` is the
   * page `records[i]` came from, when known.
   */
  append(
    runId: string,
    stage: number,
    records: unknown[],
    firstIndex: number,
    sources?: readonly (string | null)[],
  ): Promise<void>;
  /**
   * Makes `stage` hold exactly the records of `sameAs` without copying them (a step that passed
   * its input through unchanged). Reads of `stage` then read `sameAs`'s records.
   */
  alias(runId: string, stage: number, sameAs: number): Promise<void>;
  /**
   * Copies the first `count` records of stage `from` to the start of stage `to`, in the database
   * (no JSON round trip): a step that passed its first records through, then dropped one.
   */
  copyLeading(runId: string, from: number, to: number, count: number): Promise<void>;
  /** Deletes a stage, stored or aliased (a step re-run after an interruption starts from nothing). */
  clear(runId: string, stage: number): Promise<void>;
}

/** A step's checkpoint. */
export interface StepRecord {
  runId: string;
  index: number;
  name: string;
  kind: string;
  status: StepStatus;
  startedAt: number | null;
  finishedAt: number | null;
  recordsOut: number | null;
  result: Record<string, unknown> | null;
}

export interface StepStore {
  list(runId: string): Promise<StepRecord[]>;
  start(runId: string, index: number, now: number): Promise<void>;
  /** The checkpoint: marks a step done with its result. */
  finish(
    runId: string,
    index: number,
    recordsOut: number,
    result: Record<string, unknown>,
    now: number,
  ): Promise<void>;
}

/** A stored log line of a run. */
export interface LogRecord {
  id: number;
  runId: string;
  at: number;
  level: LogLevel;
  message: string;
}

/** Which of a run's log lines to list. */
export interface LogListOptions {
  /** Lines after this id. @defaultValue 0 */
  afterId?: number;
  /** @defaultValue 10000 */
  limit?: number;
  /** Lines at or above this level. @defaultValue "debug" */
  level?: LogLevel;
  /** Lines of exactly these levels (wins over `level`). */
  levels?: LogLevel[];
}

/** Stored log lines of a run per level. */
export type LogCounts = Record<LogLevel, number>;

/** A run's stored log lines per level, and the time of the newest one (`null`: none). */
export interface LogTally {
  counts: LogCounts;
  newestAt: number | null;
}

/** Run logs. Appends may be batched; reads see every line appended before them. */
export interface LogStore {
  append(runId: string, level: LogLevel, message: string, at: number): Promise<void>;
  list(runId: string, options?: LogListOptions): Promise<LogRecord[]>;
  /** How many lines the run has stored at each level (every level present, 0 when none), and until when. */
  tally(runId: string): Promise<LogTally>;
}

/** What a run captured; see {@link CaptureStore}. */
export type { CaptureKind };

/** A capture to store. Bodies and images go to the blob store first; `blob` names them. */
export interface NewCapture {
  kind: CaptureKind;
  at: number;
  /** The page's or response's URL; for actions and screenshots, the URL of the page they were on. */
  url: string | null;
  /** Kind-specific facts (status, headers, action, reason…): plain JSON. */
  detail: Record<string, unknown>;
  /** SHA-256 of the body or image in the blob store. */
  blob?: string | null;
  /** Its size in bytes, uncompressed. */
  size?: number | null;
}

/** A stored capture. */
export interface CaptureRecord extends NewCapture {
  id: number;
  runId: string;
  blob: string | null;
  size: number | null;
}

/**
 * Captures of runs, in the order they happened: `page` (what the crawl parsed, the source of
 * replay), `response` (a browser's network response), `action` (a browser action) and
 * `screenshot`.
 */
export interface CaptureStore {
  /** Stores captures in one transaction; resolves to their ids. */
  add(runId: string, captures: NewCapture[]): Promise<number[]>;
  /** Captures of a run in order, optionally of some kinds, after an id, at most `limit` (default 1000). */
  list(
    runId: string,
    options?: { kinds?: CaptureKind[]; afterId?: number; limit?: number },
  ): Promise<CaptureRecord[]>;
  get(runId: string, id: number): Promise<CaptureRecord | null>;
  /** The latest `page` capture of a URL (a request fetched again after a crash is captured again). */
  latestPage(runId: string, url: string): Promise<CaptureRecord | null>;
  /** The latest browser network response to `method url` (replay answers the browser with it). */
  latestResponse(runId: string, url: string, method: string): Promise<CaptureRecord | null>;
  /** How many captures of each kind a run has. */
  counts(runId: string): Promise<Partial<Record<CaptureKind, number>>>;
}

/** One entry of the activity feed, derived from what is stored (runs, schedule occurrences). */
export interface ActivityRecord {
  /** Stable across reads: the kind and what it is about (`run.finished:RUN-…`). */
  id: string;
  at: number;
  kind: ActivityKind;
  runId: string | null;
  scheduleId: string | null;
  scraper: string | null;
  /** The run's status (run entries), the occurrence's (schedule entries), `paused` (schedule.paused). */
  status: string | null;
  /** Records of a finished run's last completed step; null when none completed. */
  records: number | null;
  /** A failed run's error, why an occurrence was skipped or failed, why a schedule is paused. */
  message: string | null;
}

/** Where a page of the activity feed ends: the next page is strictly older. */
export interface ActivityCursor {
  at: number;
  id: string;
}

/** A run that failed or has failed requests, as the recent errors list it. */
export interface RunErrorRecord {
  runId: string;
  scraper: string;
  status: RunStatus;
  /** When it ended, or last changed while it runs. */
  at: number;
  error: string | null;
  failedRequests: number;
  failures: FailureGroup[];
}

/**
 * What happened, read from the stored runs and schedule history: nothing of its own is stored,
 * so the feed covers every process that shares the database, and the past before it existed.
 */
export interface ActivityStore {
  /** Entries newest first (by `at`, then `id`), older than `before`; at most `limit` (default 50). */
  feed(options?: { before?: ActivityCursor; limit?: number }): Promise<ActivityRecord[]>;
  /** Runs that failed or have failed requests, newest first (by `at`, then run id), older than `before`. */
  errors(options?: { before?: ActivityCursor; limit?: number }): Promise<RunErrorRecord[]>;
}

/** What a process measured at one instant: itself, its machine and the runs of the database. */
export interface HealthSampleRecord {
  /** The series: `serve` for `trawl serve`. */
  role: string;
  at: number;
  /** The process that measured (`host:pid:nonce`). */
  process: string;
  rss: number;
  heapUsed: number;
  /** CPU time of the process since the previous sample, in % of one core. */
  cpuPercent: number;
  load: [number, number, number];
  memoryTotal: number;
  memoryFree: number;
  diskTotal: number | null;
  diskFree: number | null;
  activeRuns: number;
  queuedRuns: number;
  /** Fetch attempts per second over every running run since the previous sample. */
  requestsPerSecond: number;
}

/** Health samples over time, one series per role, written by the holder of the role's lease. */
export interface HealthStore {
  /** Takes or renews the sampler lease of `role` until `now + ttlMs`; false while another owner holds it. */
  lead(role: string, owner: string, now: number, ttlMs: number): Promise<boolean>;
  /** Gives the lease up, if `owner` holds it, so another process samples at once. */
  resign(role: string, owner: string): Promise<void>;
  add(sample: HealthSampleRecord): Promise<void>;
  /** Samples with `from <= at < until`, oldest first, at most `limit` (the newest kept). */
  list(filter: { role?: string; from: number; until: number; limit?: number }): Promise<HealthSampleRecord[]>;
  /** Deletes every sample older than `before`; resolves to how many. */
  prune(before: number): Promise<number>;
}

/** Every repository of one database. */
export interface Store {
  runs: RunStore;
  queue: RequestQueue;
  records: RecordStore;
  steps: StepStore;
  logs: LogStore;
  schedules: ScheduleStore;
  captures: CaptureStore;
  activity: ActivityStore;
  health: HealthStore;
  /** Result of `PRAGMA integrity_check` (or the backend's equivalent). */
  integrityCheck(): Promise<string[]>;
  close(): Promise<void>;
}
