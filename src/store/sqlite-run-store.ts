import type { RunStatus } from "../core/index.ts";
import { formatRunId } from "../core/index.ts";
import { randomInt } from "node:crypto";
import { writeTransaction, type SqliteDatabase } from "./database.ts";
import { storeError } from "./errors.ts";
import { RUN_COLUMNS, runColumnValue, toRunRecord, type RunRow } from "./run-rows.ts";
import type {
  NewRun,
  RunCensus,
  RunControl,
  RunFilter,
  RunRecord,
  RunStore,
  RunTransition,
} from "./types.ts";

/** Runs in SQLite. */
export class SqliteRunStore implements RunStore {
  constructor(private readonly db: SqliteDatabase) {}

  async create(run: NewRun, now: number): Promise<RunRecord> {
    // Purpose: insert a queued run and its pending steps. A taken id bumps the tie-breaker.
    const insertRun = this.db.prepare(
      `INSERT OR IGNORE INTO runs (id, scraper, source, definition_hash, status, created_at, updated_at, breakpoints, targets, steps, options, record_key)
       VALUES (?, ?, ?, ?, 'queued', ?, ?, ?, ?, ?, ?, ?)`,
    );
    const insertStep = this.db.prepare(`INSERT INTO steps (run_id, idx, name, kind) VALUES (?, ?, ?, ?)`);
    const id = writeTransaction(this.db, () => {
      const first = randomInt(16);
      for (let bump = 0; bump < 1000; bump++) {
        const candidate = formatRunId(now + 100 * Math.floor((first + bump) / 16), first + bump);
        const inserted = insertRun.run(
          candidate,
          run.scraper,
          run.source,
          run.definitionHash,
          now,
          now,
          JSON.stringify(run.breakpoints),
          JSON.stringify(run.targets),
          JSON.stringify(run.steps.map((step) => step.name)),
          JSON.stringify(run.options ?? {}),
          run.recordKey ? JSON.stringify(run.recordKey) : null,
        );
        if (inserted.changes === 1) {
          run.steps.forEach((step, index) => insertStep.run(candidate, index, step.name, step.kind));
          return candidate;
        }
      }
      throw storeError("TRAWL_ERR_STORE_ID_EXHAUSTED", { what: "run" });
    });
    return (await this.get(id))!;
  }

  async get(id: string): Promise<RunRecord | null> {
    // Purpose: one run by id.
    const row = this.db.prepare(`SELECT * FROM runs WHERE id = ?`).get(id) as RunRow | undefined;
    return row ? toRunRecord(row) : null;
  }

  async list(filter: RunFilter = {}): Promise<RunRecord[]> {
    // Purpose: runs newest first (or by change time), filtered by scraper (exact or a part of its
    // name), status, id page, dates.
    const where: string[] = [];
    const params: unknown[] = [];
    if (filter.scraper) {
      where.push("scraper = ?");
      params.push(filter.scraper);
    }
    if (filter.scraperContains) {
      // LIKE ignores the case of ASCII letters; %, _ and \ in the text are matched as themselves.
      where.push("scraper LIKE ? ESCAPE '\\'");
      params.push(`%${filter.scraperContains.replace(/[\\%_]/g, "\\$&")}%`);
    }
    if (filter.statuses?.length) {
      where.push(`status IN (${filter.statuses.map(() => "?").join(", ")})`);
      params.push(...filter.statuses);
    }
    const conditions: [unknown, string][] = [
      [filter.before, "id < ?"],
      [filter.createdFrom, "created_at >= ?"],
      [filter.createdUntil, "created_at < ?"],
      [filter.updatedAfter, "updated_at > ?"],
    ];
    for (const [value, condition] of conditions) {
      if (value === undefined) continue;
      where.push(condition);
      params.push(value);
    }
    const order = filter.updatedAfter === undefined ? "id DESC" : "updated_at, id";
    const sql = `SELECT * FROM runs ${where.length ? `WHERE ${where.join(" AND ")}` : ""} ORDER BY ${order} LIMIT ?`;
    const rows = this.db.prepare(sql).all(...params, filter.limit ?? 1000) as RunRow[];
    return rows.map(toRunRecord);
  }

  async update(id: string, patch: Partial<RunRecord>, expect?: RunStatus[]): Promise<boolean> {
    return writeTransaction(this.db, () => this.updateRow(id, patch, expect));
  }

  async transition(id: string, { patch, expect, steps }: RunTransition): Promise<boolean> {
    return writeTransaction(this.db, () => {
      if (!this.updateRow(id, patch, expect)) return false;
      for (const { from, to } of steps) {
        // Purpose: move the run's steps in states `from` to `to` (ended, paused or resumed with the run).
        this.db
          .prepare(
            `UPDATE steps SET status = ? WHERE run_id = ? AND status IN (${from.map(() => "?").join(", ")})`,
          )
          .run(to, id, ...from);
      }
      return true;
    });
  }

  /** Sets some columns of a run, optionally only from the expected statuses; true if it did. */
  private updateRow(id: string, patch: Partial<RunRecord>, expect?: RunStatus[]): boolean {
    // Purpose: set some columns of a run, optionally only from the expected statuses.
    const sets: string[] = ["updated_at = ?"];
    const params: unknown[] = [patch.updatedAt ?? Date.now()];
    for (const [field, value] of Object.entries(patch) as [keyof RunRecord, unknown][]) {
      const column = RUN_COLUMNS[field];
      if (!column) continue;
      sets.push(`${column} = ?`);
      params.push(runColumnValue(field, value));
    }
    let sql = `UPDATE runs SET ${sets.join(", ")} WHERE id = ?`;
    params.push(id);
    if (expect?.length) {
      sql += ` AND status IN (${expect.map(() => "?").join(", ")})`;
      params.push(...expect);
    }
    return this.db.prepare(sql).run(...params).changes === 1;
  }

  async claim(id: string, owner: string, now: number, staleBefore: number): Promise<boolean> {
    // Purpose: take over a run nobody executes (no owner, or a heartbeat older than staleBefore).
    const sql = `UPDATE runs SET owner = ?, heartbeat_at = ?, control = NULL, updated_at = ?
                 WHERE id = ? AND (owner IS NULL OR owner = ? OR heartbeat_at IS NULL OR heartbeat_at < ?)`;
    return writeTransaction(
      this.db,
      () => this.db.prepare(sql).run(owner, now, now, id, owner, staleBefore).changes === 1,
    );
  }

  async heartbeat(id: string, owner: string, now: number): Promise<RunControl | null> {
    // Purpose: prove the owner is alive and pick up a pending control command.
    return writeTransaction(this.db, () => {
      const row = this.db.prepare(`SELECT control FROM runs WHERE id = ? AND owner = ?`).get(id, owner) as
        { control: RunControl | null } | undefined;
      this.db
        .prepare(`UPDATE runs SET heartbeat_at = ?, control = NULL WHERE id = ? AND owner = ?`)
        .run(now, id, owner);
      return row?.control ?? null;
    });
  }

  async census(): Promise<RunCensus> {
    // Purpose: the metrics' run states (every run) and their queues (only live runs: a scan of
    // every request ever made would grow with the database). Reads runs_by_status, then each live
    // run's requests through the queue's (run_id, …) unique index.
    const runs = this.db
      .prepare(`SELECT status, COUNT(*) AS count FROM runs GROUP BY status`)
      .all() as RunCensus["runs"];
    const requests = this.db
      .prepare(
        `SELECT r.status, q.state, COUNT(*) AS count, COALESCE(SUM(q.records), 0) AS records
           FROM runs r JOIN requests q ON q.run_id = r.id
          WHERE r.status IN ('queued', 'running', 'paused')
          GROUP BY r.status, q.state`,
      )
      .all() as RunCensus["requests"];
    return { runs, requests };
  }

  async requestControl(id: string, control: RunControl): Promise<void> {
    // Purpose: leave a command for the process executing the run.
    writeTransaction(this.db, () =>
      this.db.prepare(`UPDATE runs SET control = ? WHERE id = ?`).run(control, id),
    );
  }
}
