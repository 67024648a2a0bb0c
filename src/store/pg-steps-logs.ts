/**
 * Step checkpoints and run logs in PostgreSQL: the same `StepStore` and `LogStore` as SQLite's
 * (sqlite-steps-logs.ts), log appends batched the same way.
 */
import type pg from "pg";
import type { LogLevel } from "../core/index.ts";
import { listedLevels, toLogTally, toStepRecord, type StepRow } from "./run-rows.ts";
import type { LogListOptions, LogRecord, LogStore, LogTally, StepRecord, StepStore } from "./types.ts";

/** Step checkpoints in PostgreSQL. */
export class PgStepStore implements StepStore {
  constructor(private readonly pool: pg.Pool) {}

  async list(runId: string): Promise<StepRecord[]> {
    const { rows } = await this.pool.query<StepRow>(`SELECT * FROM steps WHERE run_id = $1 ORDER BY idx`, [
      runId,
    ]);
    return rows.map(toStepRecord);
  }

  async start(runId: string, index: number, now: number): Promise<void> {
    // Kept on re-entry after a crash, so started_at is the first start.
    await this.pool.query(
      `UPDATE steps SET status = 'running', started_at = COALESCE(started_at, $1) WHERE run_id = $2 AND idx = $3`,
      [now, runId, index],
    );
  }

  async finish(
    runId: string,
    index: number,
    recordsOut: number,
    result: Record<string, unknown>,
    now: number,
  ): Promise<void> {
    await this.pool.query(
      `UPDATE steps SET status = 'done', finished_at = $1, records_out = $2, result = $3 WHERE run_id = $4 AND idx = $5`,
      [now, recordsOut, JSON.stringify(result), runId, index],
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
 * Run logs in PostgreSQL. As in SQLite, the lines appended during one turn of the event loop are
 * written together at the next (`setImmediate`), here in one statement: a run that logs a lot
 * pays a round trip per turn, not per line. Batches are written one after another, so lines get
 * ids in the order they were appended. Reads and `flush()` write what is pending and wait for the
 * batches before them, so they see every line appended before them.
 */
export class PgLogStore implements LogStore {
  private pending: PendingLine[] = [];
  /** Settles when the next scheduled batch is written. */
  private batch: Promise<void> | undefined;
  /** The batches written so far, chained: the next one starts when this settles. */
  private written: Promise<void> = Promise.resolve();
  private closed = false;

  constructor(private readonly pool: pg.Pool) {}

  append(runId: string, level: LogLevel, message: string, at: number): Promise<void> {
    this.pending.push({ runId, level, message, at });
    return (this.batch ??= new Promise<void>((resolve, reject) => {
      setImmediate(() => {
        this.batch = undefined;
        this.flush().then(resolve, reject);
      });
    }));
  }

  /**
   * Writes the pending lines now, after the batches before them (nothing once closed). A failed
   * write loses that batch and rejects: the lines have gone out as `log.written` events already,
   * and logging must never fail a run.
   */
  flush(): Promise<void> {
    const lines = this.pending;
    this.pending = [];
    const write = this.written.then(() => (lines.length && !this.closed ? this.insert(lines) : undefined));
    this.written = write.catch(() => undefined);
    return write;
  }

  /** Writes what is pending and stops writing: the store's `close` calls it before ending the pool. */
  async close(): Promise<void> {
    try {
      await this.flush();
    } finally {
      this.closed = true;
    }
  }

  private async insert(lines: readonly PendingLine[]): Promise<void> {
    // One statement, rows in the order appended (ids follow `ORDER BY n`).
    await this.pool.query(
      `INSERT INTO logs (run_id, at, level, message)
       SELECT line.run_id, line.at, line.level, line.message
         FROM unnest($1::text[], $2::bigint[], $3::text[], $4::text[])
              WITH ORDINALITY AS line(run_id, at, level, message, n)
        ORDER BY line.n`,
      [
        lines.map((line) => line.runId),
        lines.map((line) => line.at),
        lines.map((line) => line.level),
        // PostgreSQL text cannot hold a NUL, which would lose the whole batch: U+FFFD stands in.
        lines.map((line) => line.message.replaceAll("\u0000", "\ufffd")),
      ],
    );
  }

  async list(runId: string, options: LogListOptions = {}): Promise<LogRecord[]> {
    await this.flush();
    const levels = listedLevels(options);
    if (levels.length === 0) return [];
    const { rows } = await this.pool.query<LogRecord>(
      `SELECT id, run_id AS "runId", at, level, message FROM logs
        WHERE run_id = $1 AND id > $2 AND level = ANY($3) ORDER BY id LIMIT $4`,
      [runId, options.afterId ?? 0, levels, options.limit ?? 10_000],
    );
    return rows;
  }

  async tally(runId: string): Promise<LogTally> {
    await this.flush();
    const { rows } = await this.pool.query<{ level: LogLevel; n: number; newest: number }>(
      `SELECT level, COUNT(*) AS n, MAX(at) AS newest FROM logs WHERE run_id = $1 GROUP BY level`,
      [runId],
    );
    return toLogTally(rows);
  }
}
