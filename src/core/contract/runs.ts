/**
 * The shapes of runs as the API serves them and the web app reads them: one TypeBox schema each,
 * used by the routes as response schemas and by both sides as types. This file imports nothing
 * but TypeBox, so the web app can import it too.
 */
import { Type, type Static } from "typebox";

/** The lifecycle states of a run. `interrupted` is what a crash leaves behind: resumable. */
export const RunStatusSchema = Type.Union([
  Type.Literal("queued"),
  Type.Literal("running"),
  Type.Literal("paused"),
  Type.Literal("succeeded"),
  Type.Literal("failed"),
  Type.Literal("cancelled"),
  Type.Literal("interrupted"),
]);
export type RunStatus = Static<typeof RunStatusSchema>;

/** Every run status, in lifecycle order. */
export const RUN_STATUSES: readonly RunStatus[] = [
  "queued",
  "running",
  "paused",
  "succeeded",
  "failed",
  "cancelled",
  "interrupted",
];

/** Commands a user can give a run. */
export const RunControlSchema = Type.Union([
  Type.Literal("pause"),
  Type.Literal("resume"),
  Type.Literal("stop"),
  Type.Literal("cancel"),
]);
export type RunControl = Static<typeof RunControlSchema>;

/**
 * A step's state. `paused`: the run paused or was interrupted inside it; `failed` and `cancelled`:
 * the run ended inside it; `skipped`: the run ended before reaching it.
 */
export const StepStatusSchema = Type.Union([
  Type.Literal("pending"),
  Type.Literal("running"),
  Type.Literal("paused"),
  Type.Literal("done"),
  Type.Literal("failed"),
  Type.Literal("cancelled"),
  Type.Literal("skipped"),
]);
export type StepStatus = Static<typeof StepStatusSchema>;

/**
 * A target's state: `running` only while its run is; a target with requests left when its run
 * paused, stopped or was interrupted is `paused`, when it failed `failed`, when cancelled
 * `cancelled`.
 */
export const TargetStatusSchema = Type.Union([
  Type.Literal("pending"),
  Type.Literal("running"),
  Type.Literal("paused"),
  Type.Literal("done"),
  Type.Literal("failed"),
  Type.Literal("cancelled"),
]);
export type TargetStatus = Static<typeof TargetStatusSchema>;

/** Counters of one target (or of the whole run). */
export const ProgressSchema = Type.Object({
  /** Requests finished (successfully or not). */
  pagesDone: Type.Integer(),
  /** Requests known: done, pending and in flight. */
  pagesKnown: Type.Integer(),
  records: Type.Integer(),
  errors: Type.Integer(),
});
export type Progress = Static<typeof ProgressSchema>;

/** Progress of one target, as listed in `targets:` of a definition. */
export const TargetProgressSchema = Type.Object({
  name: Type.String(),
  status: TargetStatusSchema,
  pagesDone: Type.Integer(),
  pagesKnown: Type.Integer(),
  records: Type.Integer(),
  errors: Type.Integer(),
});
export type TargetProgress = Static<typeof TargetProgressSchema>;

/** One step of a run's pipeline (`crawl` first). */
export const RunStepSchema = Type.Object({
  name: Type.String(),
  kind: Type.String(),
  status: StepStatusSchema,
  records: Type.Union([Type.Integer(), Type.Null()]),
  durationMs: Type.Union([Type.Number(), Type.Null()]),
});
export type RunStep = Static<typeof RunStepSchema>;

/** Requests of one host. */
export const HostStatsSchema = Type.Object({
  requests: Type.Integer(),
  bytes: Type.Number(),
  rate: Type.Optional(Type.Number()),
  throttled: Type.Optional(Type.Integer()),
});

/** A run's fetch statistics (empty until its first request). */
export const RunStatsSchema = Type.Partial(
  Type.Object({
    requests: Type.Integer(),
    bytes: Type.Number(),
    retries: Type.Integer(),
    statusCodes: Type.Record(Type.String(), Type.Integer()),
    reasons: Type.Record(Type.String(), Type.Integer()),
    latencyMs: Type.Object({ p50: Type.Number(), p95: Type.Number(), max: Type.Number() }),
    pagesPerSecond: Type.Number(),
    /** Seconds spent running (pauses excluded), over all sessions of the run. */
    runningSeconds: Type.Number(),
    hosts: Type.Record(Type.String(), HostStatsSchema),
  }),
);
export type RunStats = Static<typeof RunStatsSchema>;

/** Failed requests of one reason code, with one of their URLs. */
export const FailureGroupSchema = Type.Object({
  reason: Type.String(),
  count: Type.Integer(),
  example: Type.String(),
});
export type FailureGroup = Static<typeof FailureGroupSchema>;

const Instant = Type.String({ format: "date-time" });
const Nullable = <T extends Parameters<typeof Type.Union>[0][number]>(schema: T) =>
  Type.Union([schema, Type.Null()]);

/** A run as commands and the API report it (`trawl run --json`, `trawl show`, GET /api/runs/:id). */
export const RunSummarySchema = Type.Object({
  id: Type.String({ description: "RUN-YYYYMMDD-XXXXXX" }),
  status: RunStatusSchema,
  /** The commands that will work in this state, and only those (the app shows these buttons). */
  controls: Type.Array(RunControlSchema),
  scraper: Type.String(),
  /** Path of the definition file the run was started from. */
  source: Nullable(Type.String()),
  createdAt: Instant,
  startedAt: Nullable(Instant),
  finishedAt: Nullable(Instant),
  error: Nullable(Type.String()),
  pauseReason: Nullable(Type.String()),
  /** Records of the run's final stage (after every post-crawl step that ran). */
  records: Type.Integer(),
  pages: Type.Object({ done: Type.Integer(), failed: Type.Integer(), pending: Type.Integer() }),
  targets: Type.Array(TargetProgressSchema),
  steps: Type.Array(RunStepSchema),
  errors: Type.Array(FailureGroupSchema),
  stats: RunStatsSchema,
  dataset: Nullable(Type.Object({ name: Type.String(), version: Type.Integer() })),
  /** Recorded for offline replay (`trawl run --record`, `record: true`). */
  recorded: Type.Boolean(),
});
export type RunSummary = Static<typeof RunSummarySchema>;

/** A page of runs, newest first; `next` is the id to pass as `before` for the next page. */
export const RunPageSchema = Type.Object({
  runs: Type.Array(RunSummarySchema),
  next: Nullable(Type.String()),
});
export type RunPage = Static<typeof RunPageSchema>;
