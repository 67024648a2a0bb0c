import type { Clock, LogLevel, RunStatus, TrawlEvent } from "../core/index.ts";
import type { ScheduleRecord, ScheduleStore } from "../store/index.ts";

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

/** What the parts of a scheduler share: where schedules live, what starts runs, time and reporting. */
export interface SchedulerContext {
  schedules: ScheduleStore;
  runner: ScheduleRunner;
  clock: Clock;
  /** This process, as `host:pid:nonce`. */
  owner: string;
  log(level: LogLevel, message: string): void;
  /** Told about every occurrence fired, skipped or finished. */
  emit?(event: TrawlEvent): void;
}
