import type { LogLevel } from "../core/index.ts";
import type { Statement } from "better-sqlite3";
import { writeTransaction, type SqliteDatabase } from "./database.ts";
import { listedLevels, toLogTally, toStepRecord, type StepRow } from "./run-rows.ts";
import type { LogListOptions, LogRecord, LogStore, LogTally, StepRecord, StepStore } from "./types.ts";

/** Step checkpoints in SQLite. */
export class SqliteStepStore implements StepStore {
  constructor(private readonly db: SqliteDatabase) {}

  async list(runId: string): Promise<StepRecord[]> {
    // Purpose: a run's steps in order.
    const rows = this.db.prepare(`SELECT * FROM steps WHERE run_id = ? ORDER BY idx`).all(runId) as StepRow[];
    return rows.map(toStepRecord);
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

interface PendingLine {
  runId: string;
  level: LogLevel;
  message: string;
  at: number;
}

/**
 * Run logs in SQLite. Appends are batched: the lines appended during one turn of the event loop
 * are written in one transaction at the next (`setImmediate`), so a run that logs a lot does not
 * pay a transaction per line, nor hold the write lock the queue's writer thread needs. Reads and
 * `flush()` write what is pending first, so they see every line appended before them.
 */
export class SqliteLogStore implements LogStore {
  private pending: PendingLine[] = [];
  /** Settles when the pending lines are written; one per batch. */
  private batch: Promise<void> | undefined;
  private insert: Statement | undefined;

  constructor(private readonly db: SqliteDatabase) {}

  append(runId: string, level: LogLevel, message: string, at: number): Promise<void> {
    this.pending.push({ runId, level, message, at });
    return (this.batch ??= new Promise<void>((resolve, reject) => {
      setImmediate(() => {
        this.batch = undefined;
        try {
          this.flush();
          resolve();
        } catch (error) {
          reject(error);
        }
      });
    }));
  }

  /**
   * Writes the pending lines now, in one transaction (nothing when the database is closed). The
   * store's `close` calls it. A failed write loses that batch and throws: the lines have gone out
   * as `log.written` events already, and logging must never fail a run.
   */
  flush(): void {
    if (this.pending.length === 0 || !this.db.open) return;
    const lines = this.pending;
    this.pending = [];
    // Purpose: a batch of log lines of runs. Parameters: run id, epoch ms, level, message.
    const insert = (this.insert ??= this.db.prepare(
      `INSERT INTO logs (run_id, at, level, message) VALUES (?, ?, ?, ?)`,
    ));
    writeTransaction(this.db, () => {
      for (const line of lines) insert.run(line.runId, line.at, line.level, line.message);
    });
  }

  async list(runId: string, options: LogListOptions = {}): Promise<LogRecord[]> {
    this.flush();
    // Purpose: a run's log lines from a position, at or above a level (or of the given levels).
    const levels = listedLevels(options);
    if (levels.length === 0) return [];
    return this.db
      .prepare(
        `SELECT id, run_id AS runId, at, level, message FROM logs
         WHERE run_id = ? AND id > ? AND level IN (${levels.map(() => "?").join(", ")}) ORDER BY id LIMIT ?`,
      )
      .all(runId, options.afterId ?? 0, ...levels, options.limit ?? 10_000) as LogRecord[];
  }

  async tally(runId: string): Promise<LogTally> {
    this.flush();
    // Purpose: how many lines a run has stored at each level, and the time of its newest line.
    const rows = this.db
      .prepare(`SELECT level, COUNT(*) AS n, MAX(at) AS newest FROM logs WHERE run_id = ? GROUP BY level`)
      .all(runId) as { level: LogLevel; n: number; newest: number }[];
    return toLogTally(rows);
  }
}
