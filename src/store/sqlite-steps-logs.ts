import type { LogLevel } from "../core/events.ts";
import { writeTransaction, type SqliteDatabase } from "./database.ts";
import type { LogRecord, LogStore, StepRecord, StepStore } from "./types.ts";

interface StepRow {
  run_id: string;
  idx: number;
  name: string;
  kind: string;
  status: StepRecord["status"];
  started_at: number | null;
  finished_at: number | null;
  records_out: number | null;
  result: string | null;
}

/** Step checkpoints in SQLite. */
export class SqliteStepStore implements StepStore {
  constructor(private readonly db: SqliteDatabase) {}

  async list(runId: string): Promise<StepRecord[]> {
    // Purpose: a run's steps in order.
    const rows = this.db.prepare(`SELECT * FROM steps WHERE run_id = ? ORDER BY idx`).all(runId) as StepRow[];
    return rows.map((row) => ({
      runId: row.run_id,
      index: row.idx,
      name: row.name,
      kind: row.kind,
      status: row.status,
      startedAt: row.started_at,
      finishedAt: row.finished_at,
      recordsOut: row.records_out,
      result: row.result ? (JSON.parse(row.result) as Record<string, unknown>) : null,
    }));
  }

  async start(runId: string, index: number, now: number): Promise<void> {
    // Purpose: mark a step running (kept on re-entry after a crash, so started_at is the first start).
    writeTransaction(this.db, () =>
      this.db
        .prepare(
          `UPDATE steps SET status = 'running', started_at = COALESCE(started_at, ?) WHERE run_id = ? AND idx = ?`,
        )
        .run(now, runId, index),
    );
  }

  async finish(
    runId: string,
    index: number,
    recordsOut: number,
    result: Record<string, unknown>,
    now: number,
  ): Promise<void> {
    // Purpose: the checkpoint after a step.
    writeTransaction(this.db, () =>
      this.db
        .prepare(
          `UPDATE steps SET status = 'done', finished_at = ?, records_out = ?, result = ? WHERE run_id = ? AND idx = ?`,
        )
        .run(now, recordsOut, JSON.stringify(result), runId, index),
    );
  }
}

const LEVELS: LogLevel[] = ["debug", "info", "warn", "error"];

/** Run logs in SQLite. */
export class SqliteLogStore implements LogStore {
  constructor(private readonly db: SqliteDatabase) {}

  async append(runId: string, level: LogLevel, message: string, at: number): Promise<void> {
    // Purpose: one log line of a run.
    writeTransaction(this.db, () =>
      this.db
        .prepare(`INSERT INTO logs (run_id, at, level, message) VALUES (?, ?, ?, ?)`)
        .run(runId, at, level, message),
    );
  }

  async list(
    runId: string,
    options: { afterId?: number; limit?: number; level?: LogLevel } = {},
  ): Promise<LogRecord[]> {
    // Purpose: a run's log lines from a position, at or above a level.
    const levels = LEVELS.slice(LEVELS.indexOf(options.level ?? "debug"));
    return this.db
      .prepare(
        `SELECT id, run_id AS runId, at, level, message FROM logs
         WHERE run_id = ? AND id > ? AND level IN (${levels.map(() => "?").join(", ")}) ORDER BY id LIMIT ?`,
      )
      .all(runId, options.afterId ?? 0, ...levels, options.limit ?? 10_000) as LogRecord[];
  }
}
