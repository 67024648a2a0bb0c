/**
 * The activity feed and the recent errors as the API serves them (GET /api/activity, GET
 * /api/errors) and the web app reads them. Imports nothing but TypeBox and sibling contracts.
 */
import { Type, type Static } from "typebox";
import { Instant, Nullable } from "./shared.ts";
import { FailureGroupSchema, RunStatusSchema } from "./runs.ts";

/**
 * What an activity entry reports. `run.stopped` and `run.interrupted` are runs left resumable
 * (stopped by a user, or their process died); `schedule.failed` is an occurrence that failed
 * before it had a run (its definition did not load); `schedule.paused` a schedule paused by a
 * user or after too many failures in a row.
 */
export const ActivityKindSchema = Type.Union([
  Type.Literal("run.started"),
  Type.Literal("run.finished"),
  Type.Literal("run.stopped"),
  Type.Literal("run.interrupted"),
  Type.Literal("schedule.fired"),
  Type.Literal("schedule.skipped"),
  Type.Literal("schedule.failed"),
  Type.Literal("schedule.paused"),
]);
export type ActivityKind = Static<typeof ActivityKindSchema>;

/** One entry of the activity feed. */
export const ActivityItemSchema = Type.Object({
  /** Stable across reads and reloads (`run.finished:RUN-…`): the app merges pages and updates by it. */
  id: Type.String(),
  at: Instant,
  kind: ActivityKindSchema,
  runId: Nullable(Type.String()),
  scheduleId: Nullable(Type.String()),
  scraper: Nullable(Type.String()),
  /** The run's status (run entries), the occurrence's (schedule entries), `paused` (schedule.paused). */
  status: Nullable(Type.String()),
  /** Records of a finished run (its last completed step); null when none completed. */
  records: Nullable(Type.Integer()),
  /** A failed run's error, why an occurrence was skipped or failed, why a schedule is paused. */
  message: Nullable(Type.String()),
});
export type ActivityItem = Static<typeof ActivityItemSchema>;

/** A page of the feed, newest first; pass `next` as `before` for the next (older) page. */
export const ActivityPageSchema = Type.Object({
  items: Type.Array(ActivityItemSchema),
  next: Nullable(Type.String()),
});
export type ActivityPage = Static<typeof ActivityPageSchema>;

/** A run that failed, or has failed requests (also while it runs). */
export const RunErrorSchema = Type.Object({
  runId: Type.String(),
  scraper: Type.String(),
  status: RunStatusSchema,
  /** When the run ended, or last changed while it runs. */
  at: Instant,
  /** Why the run failed; null when it did not. */
  error: Nullable(Type.String()),
  failedRequests: Type.Integer(),
  /** Its failed requests by reason, most frequent first. */
  failures: Type.Array(FailureGroupSchema),
});
export type RunError = Static<typeof RunErrorSchema>;

/** A page of recent errors, newest first (by `at`); pass `next` as `before` for the next page. */
export const RunErrorPageSchema = Type.Object({
  errors: Type.Array(RunErrorSchema),
  next: Nullable(Type.String()),
});
export type RunErrorPage = Static<typeof RunErrorPageSchema>;
