/** Shapes of the trawl API (src/server/routes/**), as the web app reads them. */
export { SCHEDULE_DEFAULTS } from "../../../src/core/contract/schedule-defaults.ts";

export type {
  FailureGroup,
  PageTypeHealth,
  Progress,
  RunControl,
  RunPage,
  RunStats,
  RunStatus,
  RunStep,
  RunSummary,
  SelectorCount,
  StepStatus,
  TargetProgress,
  TargetStatus,
} from "../../../src/core/contract/runs.ts";
export {
  CAPTURE_KINDS,
  ENDED_RUN_STATUSES,
  LIVE_RUN_STATUSES,
  RECORD_FILTER_OPS,
  RUN_STATUSES,
} from "../../../src/core/contract/values.ts";
export type { LogCounts, LogLevel, LogLine, LogPage } from "../../../src/core/contract/logs.ts";
export type {
  CrashList,
  CrashReport,
  CrashSummary,
  ProcessLogEntry,
  ProcessLogLevel,
  ProcessLogPage,
} from "../../../src/core/contract/logs.ts";

export type {
  RunRecordPage as RecordPage,
  DatasetRecordPage,
  RecordFilterOp,
  SortOrder,
} from "../../../src/core/contract/records.ts";

export type {
  NewSchedule,
  OccurrenceView,
  RunNow,
  ScheduleDetail,
  ScheduleFields,
  ScheduleHistory,
  ScheduleList,
  SchedulePreview,
  SchedulerInstance,
  SchedulerStatus,
  ScheduleView,
} from "../../../src/core/contract/schedules.ts";

export type { Health, HealthSample, HealthSamples } from "../../../src/core/contract/health.ts";
export type { RunProgressSample, RunResources } from "../../../src/core/contract/resources.ts";
export type {
  ActivityItem,
  ActivityKind,
  ActivityPage,
  RunError,
  RunErrorPage,
} from "../../../src/core/contract/activity.ts";

export type {
  DefinitionProblem as Problem,
  ScraperEntry as ScraperInfo,
  ScraperList,
  ScraperDefinition,
} from "../../../src/core/contract/scrapers.ts";

export type {
  Dataset,
  DatasetList,
  DatasetVersion,
  VerifyResult,
} from "../../../src/core/contract/datasets.ts";

export type {
  ChangedRecord,
  FieldChange,
  RecordChanges,
  RunChanges,
  RunComparison as Comparison,
} from "../../../src/core/contract/compare.ts";

export type {
  ActionDetail,
  Capture,
  CaptureKind,
  CapturePage,
  CaptureSource,
  PageDetail,
  ResponseDetail,
  ScreenshotDetail,
} from "../../../src/core/contract/captures.ts";

/** Events of GET /api/events (request.* events are not streamed). */
export type { EventOf, TrawlEvent, TrawlEventType } from "../../../src/core/events.ts";
export { STREAMED_EVENT_TYPES } from "../../../src/core/events.ts";

/** A browser session kept for a scraper (`GET /api/sessions`): never a cookie's value. */
export type { SessionList, SessionSummary } from "../../../src/core/contract/sessions.ts";
/** The secrets vault (`GET /api/secrets`): names and dates, never a value. */
export type { SecretList, SecretSet, SecretSummary } from "../../../src/core/contract/secrets.ts";

/** The audit log (`GET /api/audit`, `POST /api/audit/verify`) and the actions an entry may name. */
export type { AuditEntry, AuditPage, AuditVerification } from "../../../src/core/contract/audit.ts";
export { AUDIT_ACTIONS } from "../../../src/core/contract/audit-actions.ts";
/** The app lock (`GET /api/security/status`, `POST /api/security/unlock`, `/lock`). */
export type { LockStatus, Locked, Unlocked } from "../../../src/core/contract/security.ts";
export type { Fleet, FleetWorker } from "../../../src/core/contract/workers.ts";
