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

/** The level of a process log line (docs/logs.md): a run log's levels and `fatal` (a crash). */
export const ProcessLogLevelSchema = Type.Union([
  Type.Literal("debug"),
  Type.Literal("info"),
  Type.Literal("warn"),
  Type.Literal("error"),
  Type.Literal("fatal"),
]);
export type ProcessLogLevel = Static<typeof ProcessLogLevelSchema>;

/** One line of a process log (`$TRAWL_HOME/logs/`), as GET /api/logs serves it. */
export const ProcessLogEntrySchema = Type.Object(
  {
    at: Type.String({ format: "date-time" }),
    level: ProcessLogLevelSchema,
    /** Which process wrote it: `serve`, `scheduler` or `cli`. */
    process: Type.String(),
    pid: Type.Integer(),
    /** The part of the process: `server`, `scheduler`, `engine`, `run`, `cli`, `crash`… */
    component: Type.String(),
    /** The run the line concerns; null: none. */
    runId: Type.Union([Type.String(), Type.Null()]),
    message: Type.String(),
    /** The line's other fields as JSON (an error's stack…); null: none. */
    details: Type.Union([Type.String(), Type.Null()]),
  },
  { additionalProperties: false },
);
export type ProcessLogEntry = Static<typeof ProcessLogEntrySchema>;

/** GET /api/logs: the newest matching lines, oldest first. */
export const ProcessLogPageSchema = Type.Object(
  {
    lines: Type.Array(ProcessLogEntrySchema),
    /** Lines read to find them (the search stops at `limit` matches or a bound on lines read). */
    scanned: Type.Integer(),
    /** The search stopped at its bound before the oldest line: older matches may exist. */
    truncated: Type.Boolean(),
  },
  { additionalProperties: false },
);
export type ProcessLogPage = Static<typeof ProcessLogPageSchema>;

/** A crash report in short, as the Health page lists them (GET /api/crashes). */
export const CrashSummarySchema = Type.Object(
  {
    /** The report's file name without `.json`. */
    id: Type.String(),
    at: Type.String({ format: "date-time" }),
    /** An uncaught exception or an unhandled rejection. */
    kind: Type.Union([Type.Literal("uncaughtException"), Type.Literal("unhandledRejection")]),
    /** The process exited (a CLI command, `trawl scheduler`); false: `trawl serve` kept serving. */
    exited: Type.Boolean(),
    process: Type.String(),
    pid: Type.Integer(),
    message: Type.String(),
    /** Runs the process was executing then (resumable with `trawl resume`). */
    runIds: Type.Array(Type.String()),
  },
  { additionalProperties: false },
);
export type CrashSummary = Static<typeof CrashSummarySchema>;

/** A whole crash report (`$TRAWL_HOME/crashes/<id>.json`, GET /api/crashes/:id). */
export const CrashReportSchema = Type.Object(
  {
    ...CrashSummarySchema.properties,
    error: Type.Object(
      { name: Type.String(), message: Type.String(), stack: Type.String() },
      { additionalProperties: false },
    ),
    version: Type.String(),
    node: Type.String(),
    platform: Type.String(),
    /** The command line, with secret-looking values replaced by `[redacted]`. */
    command: Type.Array(Type.String()),
    /** The last process log lines before the crash (raw JSON lines, oldest first). */
    logLines: Type.Array(Type.String()),
  },
  { additionalProperties: false },
);
export type CrashReport = Static<typeof CrashReportSchema>;

/** GET /api/crashes: the newest crash reports first. */
export const CrashListSchema = Type.Object(
  { crashes: Type.Array(CrashSummarySchema) },
  { additionalProperties: false },
);
export type CrashList = Static<typeof CrashListSchema>;
