/** Shapes of the trawl API (src/server/routes/**), as the web app reads them. */
export { SCHEDULE_DEFAULTS } from "../../../src/core/contract/schedule-defaults.ts";

export type {
  FailureGroup,
  Progress,
  RunControl,
  RunPage,
  RunStats,
  RunStatus,
  RunStep,
  RunSummary,
  StepStatus,
  TargetProgress,
  TargetStatus,
} from "../../../src/core/contract/runs.ts";
export { RUN_STATUSES } from "../../../src/core/contract/runs.ts";
export type { LogCounts, LogLevel, LogLine, LogPage } from "../../../src/core/contract/logs.ts";

export type {
  RunRecordPage as RecordPage,
  DatasetRecordPage,
  RecordFilterOp,
  SortOrder,
} from "../../../src/core/contract/records.ts";
export { RECORD_FILTER_OPS } from "../../../src/core/contract/records.ts";

export interface ScheduleView {
  id: string;
  scraper: string;
  source: string | null;
  kind: "cron" | "interval" | "once" | "daily" | "weekly" | "manual";
  when: string;
  zone: string;
  activeHours: string | null;
  days: string | null;
  catchUp: string;
  grace: string;
  overlap: string;
  maxFailures: number;
  retries: number;
  jitter: string | null;
  status: "active" | "paused";
  pausedReason: string | null;
  failuresInARow: number;
  next: string | null;
  createdAt: string;
}

export interface OccurrenceView {
  schedule: string;
  due: string;
  attempt: number;
  kind: string;
  status: string;
  reason: string | null;
  run: string | null;
  startedAt: string | null;
  finishedAt: string | null;
  durationMs: number | null;
}

export interface ScheduleDetail extends ScheduleView {
  upcoming: string[];
  history: OccurrenceView[];
}

export interface SchedulerInstance {
  pid: number;
  host: string;
  leader: boolean;
  startedAt: string | number;
  lastCheck: string | number | null;
  schedulesChecked: number;
  runsStarted: number;
  nextDue: string | number | null;
}
export interface SchedulerStatus {
  running: boolean;
  schedulers: SchedulerInstance[];
}

/** The timing and policy fields of POST/PATCH /api/schedules (named like the CLI flags). */
export interface ScheduleFields {
  file?: string;
  cron?: string;
  every?: string;
  at?: string;
  daily?: string;
  weekly?: string;
  manual?: boolean;
  tz?: string;
  activeHours?: string;
  days?: string;
  catchUp?: "none" | "latest";
  grace?: string;
  overlap?: "skip" | "queue";
  maxFailures?: number;
  retries?: number;
  jitter?: string;
}

export type { Health, HealthSample, HealthSamples } from "../../../src/core/contract/health.ts";
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

export interface DatasetVersion {
  version: number;
  records: number;
  runId: string;
  scraper: string;
  createdAt: string;
  files: { name: string; bytes: number; sha256: string }[];
}
export interface Dataset {
  name: string;
  latest: number;
  versions: DatasetVersion[];
}

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
export { CAPTURE_KINDS } from "../../../src/core/contract/captures.ts";

/** Events of GET /api/events (request.* events are not streamed). */
export type { EventOf, TrawlEvent, TrawlEventType } from "../../../src/core/events.ts";
export { STREAMED_EVENT_TYPES } from "../../../src/core/events.ts";

/** A browser session kept for a scraper (`GET /api/sessions`): never a cookie's value. */
export type { SessionList, SessionSummary } from "../../../src/core/contract/sessions.ts";
