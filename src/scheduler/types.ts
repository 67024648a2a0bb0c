import type { RunStatus } from "../core/events.ts";
import type { ScheduleRecord } from "../store/index.ts";

/** How a scheduled run ended. */
export interface RunOutcome {
  status: RunStatus;
  error: string | null;
}

/** What the scheduler needs to start runs; the app gives it the engine's. */
export interface ScheduleRunner {
  /**
   * Loads the schedule's scraper and starts its run. `finished` settles with the run's final
   * status. Rejects when the run cannot even start (a definition that no longer loads).
   */
  start(schedule: ScheduleRecord): Promise<{ runId: string; finished: Promise<RunOutcome> }>;
  /** Whether a run, maybe started by another scheduler process, is still queued, running or paused by a live process. */
  isActive(runId: string): Promise<boolean>;
  /** Stops every run this runner started, gracefully (they stay resumable), and waits for them. */
  stopAll(): Promise<void>;
}
