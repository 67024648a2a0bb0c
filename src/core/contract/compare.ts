/**
 * The shapes of run comparisons as the API serves them (GET /api/compare, GET
 * /api/runs/:id/changes, `trawl compare --json`) and the web app reads them. Imports nothing but
 * TypeBox and sibling contract files, so the web app can import it too.
 */
import { Type, type Static } from "typebox";
import { RunSummarySchema } from "./runs.ts";

/** A scraped record: plain JSON values by field name. */
export const ScrapedRecordSchema = Type.Record(Type.String(), Type.Unknown());

/**
 * How one field of a matched record differs: `added` (no value in A), `removed` (no value in B),
 * `changed` (different values). A missing field and `null` count as no value.
 */
export const FieldChangeSchema = Type.Object({
  field: Type.String(),
  change: Type.Union([Type.Literal("added"), Type.Literal("removed"), Type.Literal("changed")]),
  /** The value in A (the older run); null when added. */
  a: Type.Unknown(),
  /** The value in B (the newer run); null when removed. */
  b: Type.Unknown(),
});
export type FieldChange = Static<typeof FieldChangeSchema>;

/** A record present in both runs (same key, or same position) whose fields differ. */
export const ChangedRecordSchema = Type.Object({
  /** The record's key values joined by " / ", or `#n` (1-based position) when matched by position. */
  key: Type.String(),
  /** Position of the record in B's records (0-based, as the run's records page numbers them). */
  position: Type.Integer(),
  /** B's record as a whole, for context around the changed fields. */
  record: ScrapedRecordSchema,
  fields: Type.Array(FieldChangeSchema),
});
export type ChangedRecord = Static<typeof ChangedRecordSchema>;

/**
 * How records are matched across two lists: by the record key (`key` lists its fields), or by
 * position (record i of A against record i of B) when there is no key.
 */
export const MatchSchema = Type.Union([Type.Literal("key"), Type.Literal("position")]);
export type Match = Static<typeof MatchSchema>;

/** The differences of two lists of records: at most 1,000 listed of each kind, exact counts. */
export const RecordChangesSchema = Type.Object({
  added: Type.Array(ScrapedRecordSchema),
  removed: Type.Array(ScrapedRecordSchema),
  changed: Type.Array(ChangedRecordSchema),
  unchanged: Type.Integer(),
  counts: Type.Object({ added: Type.Integer(), removed: Type.Integer(), changed: Type.Integer() }),
});
export type RecordChanges = Static<typeof RecordChangesSchema>;

/** How two lists of records differ, and how they were matched. */
export const RecordDiffSchema = Type.Object({
  match: MatchSchema,
  /** The fields identifying a record; null when matched by position. */
  key: Type.Union([Type.Array(Type.String()), Type.Null()]),
  records: RecordChangesSchema,
  /** What makes the diff less than exact (records without a key value, duplicate keys). */
  warnings: Type.Array(Type.String()),
});
export type RecordDiff = Static<typeof RecordDiffSchema>;

/** Two runs side by side (A older, B newer) and how their records differ (GET /api/compare). */
export const RunComparisonSchema = Type.Object({
  a: RunSummarySchema,
  b: RunSummarySchema,
  match: MatchSchema,
  key: Type.Union([Type.Array(Type.String()), Type.Null()]),
  records: RecordChangesSchema,
  /**
   * Why the diff may mislead: runs of different scrapers, runs whose records are not final output
   * (not succeeded), failed requests, different record keys, records without a key value.
   */
  warnings: Type.Array(Type.String()),
});
export type RunComparison = Static<typeof RunComparisonSchema>;

/**
 * What changed since the previous succeeded run of the same scraper (GET /api/runs/:id/changes).
 * Only the final output of succeeded runs is compared: for any other run, or a first run,
 * `comparable` is false and `reason` says why, in words a user reads as is.
 */
export const RunChangesSchema = Type.Object({
  run: Type.String(),
  comparable: Type.Boolean(),
  /** Why nothing is compared ("this run failed: its records are not compared"); null when compared. */
  reason: Type.Union([Type.String(), Type.Null()]),
  /** The previous succeeded run of the same scraper, if any (also when this run is not comparable). */
  previous: Type.Union([Type.String(), Type.Null()]),
  comparison: Type.Union([RunComparisonSchema, Type.Null()]),
});
export type RunChanges = Static<typeof RunChangesSchema>;
