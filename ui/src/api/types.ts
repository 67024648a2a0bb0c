/** Shapes of the trawl API (src/server/routes/**), as the web app reads them. */
export { SCHEDULE_DEFAULTS } from "../../../src/core/contract/schedule-defaults.ts";

export type RunStatus =
  "queued" | "running" | "paused" | "succeeded" | "failed" | "cancelled" | "interrupted";
export const RUN_STATUSES: RunStatus[] = [
  "queued",
  "running",
  "paused",
  "succeeded",
  "failed",
  "cancelled",
  "interrupted",
];
export type TargetStatus = "pending" | "running" | "done" | "failed";
export type LogLevel = "debug" | "info" | "warn" | "error";

export interface Progress {
  pagesDone: number;
  pagesKnown: number;
  records: number;
  errors: number;
}
export interface TargetProgress extends Progress {
  name: string;
  status: TargetStatus;
}

export interface RunStep {
  name: string;
  kind: string;
  status: "pending" | "running" | "done";
  records: number | null;
  durationMs: number | null;
}

export interface RunStats {
  requests?: number;
  bytes?: number;
  retries?: number;
  statusCodes?: Record<string, number>;
  reasons?: Record<string, number>;
  latencyMs?: { p50: number; p95: number; max?: number };
  pagesPerSecond?: number;
  runningSeconds?: number;
  hosts?: Record<string, { requests: number; bytes: number; rate?: number; throttled?: number }>;
}

export interface RunSummary {
  id: string;
  status: RunStatus;
  scraper: string;
  source: string | null;
  createdAt: string;
  startedAt: string | null;
  finishedAt: string | null;
  error: string | null;
  pauseReason: string | null;
  records: number;
  pages: { done: number; failed: number; pending: number };
  /** pagesDone/pagesKnown appear only if the server adds them; live values come from events. */
  targets: {
    name: string;
    status: TargetStatus;
    records: number;
    errors: number;
    pagesDone?: number;
    pagesKnown?: number;
  }[];
  steps: RunStep[];
  errors: { reason: string; count: number; example: string }[];
  stats: RunStats;
  dataset: { name: string; version: number } | null;
  recorded: boolean;
}

export interface RunPage {
  runs: RunSummary[];
  next: string | null;
}

export interface LogLine {
  id: number;
  runId: string;
  level: LogLevel;
  message: string;
  at: string;
}

export interface RecordPage {
  stage: number;
  offset: number;
  total: number;
  records: Record<string, unknown>[];
}

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

export type CaptureKind = "page" | "response" | "action" | "screenshot";
export const CAPTURE_KINDS: CaptureKind[] = ["page", "response", "action", "screenshot"];

/** A capture of GET /api/runs/:id/captures; `detail` depends on the kind (see the *Detail types). */
export interface Capture {
  id: number;
  runId: string;
  kind: CaptureKind;
  at: string;
  url: string | null;
  detail: Record<string, unknown>;
  blob: string | null;
  size: number | null;
  /** Where the body or image is; null when there is none (a failed page). */
  bodyUrl: string | null;
}
export interface CapturePage {
  captures: Capture[];
  next: number | null;
  counts: Record<CaptureKind, number>;
}
export interface PageDetail {
  engine?: "http" | "browser";
  finalUrl?: string;
  status?: number;
  headers?: Record<string, string>;
  error?: { reason: string; message: string; status?: number };
}
export interface ResponseDetail {
  pageUrl?: string;
  method?: string;
  status?: number;
  statusText?: string;
  headers?: Record<string, string>;
  requestHeaders?: Record<string, string>;
  resourceType?: string;
  durationMs?: number;
}
export interface ActionDetail {
  action?: string;
  durationMs?: number;
  error?: string;
}
export interface ScreenshotDetail {
  reason?: "failed" | "page";
  error?: string;
}

/** GET /api/runs/:id/source: the page a record came from and where its fields were read. */
export interface CaptureSource {
  url: string | null;
  match: "request" | "url" | "final-url" | "content";
  capture: Capture;
  pageType: string | null;
  each: string | null;
  fields: { name: string; selector: string; color: string }[];
  pageTypes: string[];
  definitionChanged: boolean;
  highlightUrl: string | null;
}

/** Events of GET /api/events (request.* events are not streamed). */
export type TrawlEvent =
  | { type: "run.queued"; runId: string; scraper: string }
  | { type: "run.started"; runId: string; resumed: boolean }
  | { type: "run.paused"; runId: string; reason: string; step?: string }
  | { type: "run.resumed"; runId: string }
  | { type: "run.finished"; runId: string; status: RunStatus; error?: string }
  | { type: "run.changed"; runId: string; status: RunStatus; overall: Progress }
  | { type: "step.started"; runId: string; step: string; index: number }
  | { type: "step.finished"; runId: string; step: string; index: number; records: number }
  | { type: "progress.updated"; runId: string; overall: Progress; targets: TargetProgress[] }
  | { type: "log.written"; runId: string; level: LogLevel; message: string; at: number | string }
  | { type: "schedule.fired"; scheduleId: string; dueAt: number | string; runId: string }
  | { type: "schedule.skipped"; scheduleId: string; dueAt: number | string; reason: string }
  | {
      type: "schedule.finished";
      scheduleId: string;
      dueAt: number | string;
      runId: string | null;
      status: string;
    };
export type TrawlEventType = TrawlEvent["type"];
export type EventOf<T extends TrawlEventType> = Extract<TrawlEvent, { type: T }>;

/** A browser session kept for a scraper (`GET /api/sessions`): never a cookie's value. */
export interface SessionSummary {
  scraper: string;
  cookies: number;
  domains: string[];
  origins: number;
  savedAt: string;
}
