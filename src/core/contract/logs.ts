/**
 * A run's log as the API serves it (GET /api/runs/:id/logs) and the web app reads it. This file
 * imports nothing but TypeBox, so the web app can import it too.
 */
import { Type, type Static } from "typebox";
import { LOG_LEVELS } from "./values.ts";

/** The level of a log line (see {@link LOG_LEVELS}). */
export const LogLevelSchema = Type.Enum(LOG_LEVELS);
export type LogLevel = Static<typeof LogLevelSchema>;

/** One stored log line of a run. */
export const LogLineSchema = Type.Object(
  {
    /** Increases with every line; `after` in the next request. */
    id: Type.Integer(),
    runId: Type.String(),
    at: Type.String({ format: "date-time" }),
    level: LogLevelSchema,
    message: Type.String(),
  },
  { additionalProperties: false },
);
export type LogLine = Static<typeof LogLineSchema>;

/** Stored lines of a run per level: every level, 0 when it has none. */
export const LogCountsSchema = Type.Object(
  {
    debug: Type.Integer(),
    info: Type.Integer(),
    warn: Type.Integer(),
    error: Type.Integer(),
  },
  { additionalProperties: false },
);
export type LogCounts = Static<typeof LogCountsSchema>;

/**
 * A page of a run's log: the lines asked for, oldest first, and the run's counts per level over
 * all its stored lines (whatever the page's filter), read after the lines. `newestAt`: the time of
 * the newest line counted (`null`: none yet); a live line not newer than it is counted already.
 */
export const LogPageSchema = Type.Object(
  {
    logs: Type.Array(LogLineSchema),
    counts: LogCountsSchema,
    newestAt: Type.Union([Type.String({ format: "date-time" }), Type.Null()]),
  },
  { additionalProperties: false },
);
export type LogPage = Static<typeof LogPageSchema>;
