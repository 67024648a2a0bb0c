/** Storage contracts of the scheduler: schedules, their occurrences, and scheduler processes. */

/** Missed occurrences: skip them, or run once for the newest if it is recent enough. */
export type CatchUp = "none" | "latest";
/** A due occurrence while the schedule's previous run is active: skip it, or start it afterwards. */
export type Overlap = "skip" | "queue";
export type ScheduleStatus = "active" | "paused";

/** A stored schedule. `timing` is the scheduler's own JSON shape (see `src/scheduler/timing.ts`). */
export interface ScheduleRecord {
  id: string;
  /** The scraper's name, for lists. */
  scraper: string;
  /** Absolute path of the definition file; it is loaded again at every run. */
  source: string;
  timing: unknown;
  catchUp: CatchUp;
  graceMs: number;
  overlap: Overlap;
  maxFailures: number;
  /** Extra attempts of a failed occurrence, with exponential backoff. */
  retries: number;
  jitterMs: number;
  status: ScheduleStatus;
  /** Why the schedule is paused (by the user, or after too many failures in a row). */
  pausedReason: string | null;
  /** Failures in a row; a success resets it. */
  failures: number;
  /** Occurrences up to this instant are handled (fired, skipped or missed). */
  cursor: number;
  createdAt: number;
  updatedAt: number;
}

/** What creating a schedule needs. */
export type NewSchedule = Omit<
  ScheduleRecord,
  "id" | "status" | "pausedReason" | "failures" | "createdAt" | "updatedAt"
>;

/** Fields of a schedule that may change after creation. */
export type SchedulePatch = Partial<
  Omit<ScheduleRecord, "id" | "createdAt" | "updatedAt" | "source" | "scraper">
>;

export type OccurrenceKind = "scheduled" | "manual" | "retry";
export type OccurrenceStatus =
  "waiting" | "running" | "succeeded" | "failed" | "skipped" | "stopped" | "interrupted";

/** One occurrence (or retry attempt) of a schedule, as the history shows it. */
export interface OccurrenceRecord {
  scheduleId: string;
  /** The instant it was due (a manual run: when it was asked for). */
  dueAt: number;
  /** 0 for the occurrence itself, n for its n-th retry. */
  attempt: number;
  kind: OccurrenceKind;
  status: OccurrenceStatus;
  /** Why it was skipped, or how it failed. */
  reason: string | null;
  runId: string | null;
  /** Not started before this instant (jitter, retry backoff). */
  startAfter: number;
  /** The scheduler process that claimed it. */
  claimedBy: string | null;
  createdAt: number;
  startedAt: number | null;
  finishedAt: number | null;
}

/** Identifies an occurrence. */
export type OccurrenceKey = Pick<OccurrenceRecord, "scheduleId" | "dueAt" | "attempt">;

/** A new occurrence: claimed at once (`waiting`) or recorded as `skipped`. */
export type NewOccurrence = Pick<
  OccurrenceRecord,
  "scheduleId" | "dueAt" | "attempt" | "kind" | "status" | "reason" | "startAfter" | "claimedBy"
>;

/** A scheduler process, as `trawl scheduler status` shows it. */
export interface SchedulerProcess {
  owner: string;
  pid: number;
  host: string;
  startedAt: number;
  heartbeatAt: number;
  /** When it last evaluated the schedules (leaders only). */
  checkedAt: number | null;
  schedulesChecked: number;
  runsStarted: number;
  nextDueAt: number | null;
}

export interface ScheduleStore {
  create(schedule: NewSchedule, now: number): Promise<ScheduleRecord>;
  get(id: string): Promise<ScheduleRecord | null>;
  list(): Promise<ScheduleRecord[]>;
  /** Changes a schedule; false when it does not exist. */
  update(id: string, patch: SchedulePatch, now: number): Promise<boolean>;
  /** Deletes a schedule and its history; false when it does not exist. */
  remove(id: string): Promise<boolean>;
  /** A number that changes whenever any schedule does. */
  version(): Promise<number>;
  /**
   * Moves a schedule's cursor from `from` to `to` and records `occurrences`, in one transaction.
   * False (and nothing written) when the cursor is no longer at `from`: another scheduler did it.
   */
  advance(id: string, from: number, to: number, occurrences: NewOccurrence[], now: number): Promise<boolean>;
  /** Claims an occurrence; false when it is claimed already. */
  claim(occurrence: NewOccurrence, now: number): Promise<boolean>;
  /** Updates an occurrence, and in the same transaction its schedule when `schedule` is given. */
  settle(
    key: OccurrenceKey,
    patch: Partial<Pick<OccurrenceRecord, "status" | "reason" | "runId" | "startedAt" | "finishedAt">>,
    now: number,
    schedule?: { id: string; patch: SchedulePatch },
  ): Promise<void>;
  /** History, newest first. */
  occurrences(filter?: {
    scheduleId?: string;
    statuses?: OccurrenceStatus[];
    limit?: number;
  }): Promise<OccurrenceRecord[]>;

  /** Registers or refreshes a scheduler process. */
  beat(process: SchedulerProcess): Promise<void>;
  /** Forgets a scheduler process (clean shutdown). */
  unregister(owner: string): Promise<void>;
  processes(): Promise<SchedulerProcess[]>;
  /** Takes or renews the leader lease until `now + ttlMs`; false while another owner holds it. */
  lead(owner: string, now: number, ttlMs: number): Promise<boolean>;
  /** Gives the lease up, if `owner` holds it. */
  resign(owner: string): Promise<void>;
  leader(): Promise<{ owner: string; expiresAt: number } | null>;
}
