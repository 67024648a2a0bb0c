/**
 * The states of runs, steps and targets, and the commands a run takes, as plain lists: the
 * schemas in runs.ts are built from them, and the web app imports them as values without
 * bundling TypeBox.
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
