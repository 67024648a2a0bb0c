/**
 * A run's resource graphs as the API serves them (GET /api/runs/:id/resources) and the run's page
 * draws them. Imports nothing but TypeBox and sibling contract files.
 */
import { Type, type Static } from "typebox";
import { HealthSampleSchema } from "./health.ts";
import { Nullable } from "./shared.ts";

/** A run's progress at one health sample, and its pace since the one before. */
export const RunProgressSampleSchema = Type.Object({
  /** Unix time in milliseconds (for the last one of an ended run: when it ended). */
  at: Type.Integer(),
  /** Pages done or failed so far, and fetch attempts so far (retries included). */
  pages: Type.Integer(),
  requests: Type.Integer(),
  /** Pages per second since the previous sample; null for the first. */
  pagesPerSecond: Nullable(Type.Number()),
});
export type RunProgressSample = Static<typeof RunProgressSampleSchema>;

/** GET /api/runs/:id/resources: the server's health samples over the run's time range, and the run's pace. */
export const RunResourcesSchema = Type.Object({
  runId: Type.String(),
  /** The range (Unix ms, `from <= at < until`): the run's start to its end (or now), one interval either side. */
  from: Type.Integer(),
  until: Type.Integer(),
  /** How often the server samples, and how long samples are kept (older parts of a run are not shown). */
  intervalMs: Type.Integer(),
  retentionMs: Type.Integer(),
  /** What the serving process measured (CPU, memory, event-loop lag): the process, not the run alone. */
  samples: Type.Array(HealthSampleSchema),
  /** The run's own progress, sampled while it ran. */
  progress: Type.Array(RunProgressSampleSchema),
});
export type RunResources = Static<typeof RunResourcesSchema>;
