/**
 * The contract's plain lists: the states of runs, steps and targets, the commands a run takes,
 * capture kinds, record filter operators. The schemas are built from them, and the web app
 * imports them from here as values: a value import of a schema file would bundle TypeBox.
 */

/** A run's states in lifecycle order. `interrupted` is what a crash leaves behind: resumable. */
export const RUN_STATUSES = [
  "queued",
  "running",
  "paused",
  "succeeded",
  "failed",
  "cancelled",
  "interrupted",
] as const;

type RunStatusValue = (typeof RUN_STATUSES)[number];

/**
 * Runs that have not ended, most active first (the dashboard lists them in this order): a process
 * may hold them, and they are the ones a dead process leaves `interrupted`.
 */
export const LIVE_RUN_STATUSES = ["running", "paused", "queued"] as const satisfies readonly RunStatusValue[];

/** Runs a process has started and not ended: what the health report counts as active. */
export const ACTIVE_RUN_STATUSES = ["running", "paused"] as const satisfies readonly RunStatusValue[];

/** Runs that ended for good: no command changes them any more, none resumes them. */
export const FINAL_RUN_STATUSES = [
  "succeeded",
  "failed",
  "cancelled",
] as const satisfies readonly RunStatusValue[];

/**
 * Runs that ended, `interrupted` ones included (their process is gone, though they can be
 * resumed): the statuses a `run.finished` event reports.
 */
export const ENDED_RUN_STATUSES = [
  ...FINAL_RUN_STATUSES,
  "interrupted",
] as const satisfies readonly RunStatusValue[];

/** What a selector of a page type is: `records.each`, a CSS field, a follow rule (selector health). */
export const SELECTOR_KINDS = ["each", "field", "follow"] as const;

/** Commands a user can give a run. */
export const RUN_CONTROLS = ["pause", "resume", "stop", "cancel"] as const;

/**
 * A step's states. `paused`: the run paused or was interrupted inside it; `failed` and
 * `cancelled`: the run ended inside it; `skipped`: the run ended before reaching it.
 */
export const STEP_STATUSES = [
  "pending",
  "running",
  "paused",
  "done",
  "failed",
  "cancelled",
  "skipped",
] as const;

/**
 * A target's states: `running` only while its run is; a target with requests left when its run
 * paused, stopped or was interrupted is `paused`, when it failed `failed`, when cancelled
 * `cancelled`.
 */
export const TARGET_STATUSES = ["pending", "running", "paused", "done", "failed", "cancelled"] as const;

/** What a recorded run captured: the parsed page, a browser response, an action, a screenshot. */
export const CAPTURE_KINDS = ["page", "response", "action", "screenshot"] as const;

/** Operators of a record query's field filters (`field:op[:value]`). */
export const RECORD_FILTER_OPS = ["eq", "ne", "contains", "empty", "notempty"] as const;

/** The levels of a log line, lowest first. `debug` lines go out as events but are not stored. */
export const LOG_LEVELS = ["debug", "info", "warn", "error"] as const;
