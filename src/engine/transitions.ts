import type { RunControl, StepStatus } from "../core/contract/runs.ts";
import { LIVE_RUN_STATUSES } from "../core/contract/values.ts";
import type { RunStatus } from "../core/index.ts";
import type { RunRecord, StepSettlement } from "../store/index.ts";

/**
 * Which states each action may start from. Only the engine applies them; everybody else asks.
 * A stopped run is `paused` with no owner: resumable, like an `interrupted` one.
 */
export const ALLOWED_FROM = {
  start: ["queued"],
  pause: ["running"],
  resume: ["paused", "interrupted"],
  stop: ["running", "paused"],
  cancel: ["queued", "running", "paused", "interrupted"],
  interrupt: LIVE_RUN_STATUSES,
} as const satisfies Record<string, readonly RunStatus[]>;

export type RunAction = keyof typeof ALLOWED_FROM;

/** True when `action` is allowed while a run is `status`. */
export function canApply(action: RunAction, status: RunStatus): boolean {
  return (ALLOWED_FROM[action] as readonly RunStatus[]).includes(status);
}

/** States from which `trawl resume` continues a run. */
export const RESUMABLE: readonly RunStatus[] = ALLOWED_FROM.resume;

/**
 * What a run's steps become when the run enters a status, in the same transaction: a run that
 * ends or pauses leaves no step `running`, and one that runs again takes its paused step along.
 */
export const STEPS_ON_STATUS: Record<RunStatus, readonly StepSettlement[]> = {
  queued: [],
  running: [{ from: ["paused"], to: "running" }],
  paused: [{ from: ["running"], to: "paused" }],
  interrupted: [{ from: ["running"], to: "paused" }],
  succeeded: [],
  failed: [
    { from: ["running", "paused"], to: "failed" },
    { from: ["pending"], to: "skipped" },
  ],
  cancelled: [
    { from: ["running", "paused"], to: "cancelled" },
    { from: ["pending"], to: "skipped" },
  ],
};

/** Steps that ended with their run: `failed`, `cancelled`, `skipped`. A resumed run never has them. */
export const ENDED_STEP_STATES: readonly StepStatus[] = ["failed", "cancelled", "skipped"];

/**
 * The commands that will work on a run as stored, and only those: a paused run some process still
 * holds (paused by a user or at a breakpoint) can be resumed, stopped or cancelled; a stopped or
 * interrupted one (nobody holds it) can be resumed by whoever asks (when its definition file is
 * known) or cancelled; a finished one takes none.
 */
export function controlsFor(run: Pick<RunRecord, "status" | "owner" | "source">): RunControl[] {
  // Nobody holds a stopped or interrupted run: whoever resumes it needs its definition file.
  const orphanResume: RunControl[] = run.source ? ["resume", "cancel"] : ["cancel"];
  switch (run.status) {
    case "queued":
      return ["cancel"];
    case "running":
      return ["pause", "stop", "cancel"];
    case "paused":
      return run.owner ? ["resume", "stop", "cancel"] : orphanResume;
    case "interrupted":
      return orphanResume;
    default:
      return [];
  }
}

/** How a run stood before a session took it up: `interrupted`, `stopped`, `paused (user)`. */
export function describeStanding(run: Pick<RunRecord, "status" | "pauseReason">): string {
  if (run.status !== "paused") return run.status;
  return run.pauseReason === "stopped" ? "stopped" : `paused (${run.pauseReason ?? "user"})`;
}
