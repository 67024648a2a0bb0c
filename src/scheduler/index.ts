/** Schedules: when scrapers run (timing), and the scheduler that fires them. */
export { Scheduler, RETRY_BASE_MS, type SchedulerOptions } from "./scheduler.ts";
export { ON_TIME_MS } from "./decide-due.ts";
export {
  Occurrences,
  checkTiming,
  describeRhythm,
  describeWindow,
  type Rhythm,
  type Timing,
} from "./timing.ts";
export { timingFromFlags, hasRhythmFlag, type TimingFlags } from "./timing-options.ts";
export { parseDuration, formatDurationSpec } from "./duration.ts";
export { systemZone, parseInstant, checkZone } from "./zone.ts";
export type { RunOutcome, ScheduleRunner } from "./types.ts";
export { newSchedule, policyFromFlags, DEFAULT_POLICY, type PolicyFlags } from "./schedule-settings.ts";
export { FLAG_NAMES, BODY_NAMES, type FieldNames, type ScheduleField } from "./field-names.ts";
export { viewSchedule, viewOccurrence } from "./schedule-view.ts";
export { liveSchedulers, schedulerStatus } from "./status.ts";
export {
  requireSchedule,
  editSchedule,
  pauseSchedule,
  resumeSchedule,
  runScheduleNow,
  upcomingOf,
} from "./schedule-actions.ts";
