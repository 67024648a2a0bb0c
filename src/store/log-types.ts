/** Storage contract of run logs. */
import type { LogLevel } from "../core/index.ts";

/** A stored log line of a run. */
export interface LogRecord {
  id: number;
  runId: string;
  at: number;
  level: LogLevel;
  message: string;
}

/** Which of a run's log lines to list. */
export interface LogListOptions {
  /** Lines after this id. @defaultValue 0 */
  afterId?: number;
  /** @defaultValue 10000 */
  limit?: number;
  /** Lines at or above this level. @defaultValue "debug" */
  level?: LogLevel;
  /** Lines of exactly these levels (wins over `level`). */
  levels?: LogLevel[];
}

/** Stored log lines of a run per level. */
export type LogCounts = Record<LogLevel, number>;

/** A run's stored log lines per level, and the time of the newest one (`null`: none). */
export interface LogTally {
  counts: LogCounts;
  newestAt: number | null;
}

/** Run logs. Appends may be batched; reads see every line appended before them. */
export interface LogStore {
  append(runId: string, level: LogLevel, message: string, at: number): Promise<void>;
  list(runId: string, options?: LogListOptions): Promise<LogRecord[]>;
  /** How many lines the run has stored at each level (every level present, 0 when none), and until when. */
  tally(runId: string): Promise<LogTally>;
}
