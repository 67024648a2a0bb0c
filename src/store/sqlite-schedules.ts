import { randomBytes } from "node:crypto";
import { camelRow } from "./camel-row.ts";
import {
  OCCURRENCE_COLUMNS,
  SCHEDULE_COLUMNS,
  toOccurrence,
  toSchedule,
  type OccurrenceRow,
  type ProcessRow,
  type ScheduleRow,
} from "./schedule-rows.ts";
import { writeTransaction, type SqliteDatabase } from "./database.ts";
import { storeError } from "./errors.ts";
import type {
  NewOccurrence,
  NewSchedule,
  OccurrenceKey,
  OccurrenceRecord,
  OccurrenceStatus,
  SchedulePatch,
  ScheduleRecord,
  ScheduleStore,
  SchedulerProcess,
} from "./schedule-types.ts";

/** Schedules, their occurrences and the scheduler processes, in SQLite. */
export class SqliteScheduleStore implements ScheduleStore {
  constructor(private readonly db: SqliteDatabase) {}

  async create(schedule: NewSchedule, now: number): Promise<ScheduleRecord> {
    // Purpose: insert a schedule under a fresh id (SCH- and six hex digits) and bump the version.
    const insert = this.db.prepare(
      `INSERT OR IGNORE INTO schedules (id, scraper, source, timing, catch_up, grace_ms, overlap, max_failures, retries, jitter_ms, cursor, created_at, updated_at)
       VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
    );
    const id = writeTransaction(this.db, () => {
      for (let attempt = 0; attempt < 100; attempt++) {
        const candidate = `SCH-${randomBytes(3).toString("hex").toUpperCase()}`;
        const inserted = insert.run(
          candidate,
          schedule.scraper,
          schedule.source,
          JSON.stringify(schedule.timing),
          schedule.catchUp,
          schedule.graceMs,
          schedule.overlap,
          schedule.maxFailures,
          schedule.retries,
          schedule.jitterMs,
          schedule.cursor,
          now,
          now,
        );
        if (inserted.changes === 1) {
          this.bumpVersion();
          return candidate;
        }
      }
      throw storeError("TRAWL_ERR_STORE_ID_EXHAUSTED", { what: "schedule" });
    });
    return (await this.get(id))!;
  }

  async get(id: string): Promise<ScheduleRecord | null> {
    // Purpose: one schedule by id (case-insensitive: people type ids).
    const row = this.db.prepare(`SELECT * FROM schedules WHERE id = ?`).get(id.toUpperCase()) as
      ScheduleRow | undefined;
    return row ? toSchedule(row) : null;
  }

  async list(): Promise<ScheduleRecord[]> {
    // Purpose: every schedule, oldest first.
    const rows = this.db.prepare(`SELECT * FROM schedules ORDER BY created_at, id`).all() as ScheduleRow[];
    return rows.map(toSchedule);
  }

  async update(id: string, patch: SchedulePatch, now: number): Promise<boolean> {
    return writeTransaction(this.db, () => this.updateSchedule(id, patch, now));
  }

  private updateSchedule(id: string, patch: SchedulePatch, now: number): boolean {
    // Purpose: set some columns of a schedule and bump the version.
    const sets = ["updated_at = ?"];
    const params: unknown[] = [now];
    for (const [field, value] of Object.entries(patch) as [keyof SchedulePatch, unknown][]) {
      if (value === undefined) continue;
      sets.push(`${SCHEDULE_COLUMNS[field]} = ?`);
      params.push(field === "timing" ? JSON.stringify(value) : value);
    }
    const changed = this.db
      .prepare(`UPDATE schedules SET ${sets.join(", ")} WHERE id = ?`)
      .run(...params, id).changes;
    if (changed === 1) this.bumpVersion();
    return changed === 1;
  }

  async remove(id: string): Promise<boolean> {
    // Purpose: delete a schedule (its history goes with it) and bump the version.
    return writeTransaction(this.db, () => {
      const removed =
        this.db.prepare(`DELETE FROM schedules WHERE id = ?`).run(id.toUpperCase()).changes === 1;
      if (removed) this.bumpVersion();
      return removed;
    });
  }

  async version(): Promise<number> {
    // Purpose: the schedules' change counter.
    return this.db.prepare(`SELECT value FROM counters WHERE name = 'schedules'`).pluck().get() as number;
  }

  private bumpVersion(): void {
    this.db.prepare(`UPDATE counters SET value = value + 1 WHERE name = 'schedules'`).run();
  }

  async advance(
    id: string,
    from: number,
    to: number,
    occurrences: NewOccurrence[],
    now: number,
  ): Promise<boolean> {
    // Purpose: move the cursor only from where this scheduler saw it, and record what it decided.
    return writeTransaction(this.db, () => {
      const moved = this.db
        .prepare(`UPDATE schedules SET cursor = ? WHERE id = ? AND cursor = ? AND status = 'active'`)
        .run(to, id, from).changes;
      if (moved === 0) return false;
      for (const occurrence of occurrences) this.insertOccurrence(occurrence, now);
      return true;
    });
  }

  async claim(occurrence: NewOccurrence, now: number): Promise<boolean> {
    // A new occurrence to start (a manual run, a retry) wakes schedulers like a schedule change.
    return writeTransaction(this.db, () => {
      const claimed = this.insertOccurrence(occurrence, now);
      if (claimed) this.bumpVersion();
      return claimed;
    });
  }

  private insertOccurrence(o: NewOccurrence, now: number): boolean {
    // Purpose: the claim: the primary key (schedule, due time, attempt) admits one row only.
    return (
      this.db
        .prepare(
          `INSERT OR IGNORE INTO schedule_occurrences (schedule_id, due_at, attempt, kind, status, reason, start_after, claimed_by, created_at)
           VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)`,
        )
        .run(o.scheduleId, o.dueAt, o.attempt, o.kind, o.status, o.reason, o.startAfter, o.claimedBy, now)
        .changes === 1
    );
  }

  async settle(
    key: OccurrenceKey,
    patch: Partial<Pick<OccurrenceRecord, "status" | "reason" | "runId" | "startedAt" | "finishedAt">>,
    now: number,
    schedule?: { id: string; patch: SchedulePatch },
  ): Promise<void> {
    // Purpose: record what became of an occurrence, with its effect on the schedule, atomically.
    const sets: string[] = [];
    const params: unknown[] = [];
    for (const [field, value] of Object.entries(patch) as [keyof typeof OCCURRENCE_COLUMNS, unknown][]) {
      sets.push(`${OCCURRENCE_COLUMNS[field]} = ?`);
      params.push(value);
    }
    writeTransaction(this.db, () => {
      if (sets.length > 0) {
        this.db
          .prepare(
            `UPDATE schedule_occurrences SET ${sets.join(", ")} WHERE schedule_id = ? AND due_at = ? AND attempt = ?`,
          )
          .run(...params, key.scheduleId, key.dueAt, key.attempt);
      }
      if (schedule) this.updateSchedule(schedule.id, schedule.patch, now);
    });
  }

  async occurrences(
    filter: { scheduleId?: string; statuses?: OccurrenceStatus[]; limit?: number } = {},
  ): Promise<OccurrenceRecord[]> {
    // Purpose: history newest first, optionally of one schedule and in some statuses.
    const where: string[] = [];
    const params: unknown[] = [];
    if (filter.scheduleId) {
      where.push("schedule_id = ?");
      params.push(filter.scheduleId.toUpperCase());
    }
    if (filter.statuses?.length) {
      where.push(`status IN (${filter.statuses.map(() => "?").join(", ")})`);
      params.push(...filter.statuses);
    }
    const sql = `SELECT * FROM schedule_occurrences ${where.length ? `WHERE ${where.join(" AND ")}` : ""}
                 ORDER BY due_at DESC, attempt DESC LIMIT ?`;
    return (this.db.prepare(sql).all(...params, filter.limit ?? 100) as OccurrenceRow[]).map(toOccurrence);
  }

  async beat(p: SchedulerProcess): Promise<void> {
    // Purpose: register or refresh a scheduler process's status row.
    writeTransaction(this.db, () =>
      this.db
        .prepare(
          `INSERT INTO scheduler_processes (owner, pid, host, started_at, heartbeat_at, checked_at, schedules_checked, runs_started, next_due_at)
           VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)
           ON CONFLICT (owner) DO UPDATE SET heartbeat_at = excluded.heartbeat_at, checked_at = excluded.checked_at,
             schedules_checked = excluded.schedules_checked, runs_started = excluded.runs_started, next_due_at = excluded.next_due_at`,
        )
        .run(
          p.owner,
          p.pid,
          p.host,
          p.startedAt,
          p.heartbeatAt,
          p.checkedAt,
          p.schedulesChecked,
          p.runsStarted,
          p.nextDueAt,
        ),
    );
  }

  async unregister(owner: string): Promise<void> {
    // Purpose: forget a scheduler process that stopped cleanly.
    writeTransaction(this.db, () =>
      this.db.prepare(`DELETE FROM scheduler_processes WHERE owner = ?`).run(owner),
    );
  }

  async processes(): Promise<SchedulerProcess[]> {
    // Purpose: every registered scheduler process, most recently alive first.
    const rows = this.db
      .prepare(`SELECT * FROM scheduler_processes ORDER BY heartbeat_at DESC`)
      .all() as ProcessRow[];
    return rows.map((row): SchedulerProcess => camelRow(row));
  }

  async lead(owner: string, now: number, ttlMs: number): Promise<boolean> {
    // Purpose: take the leader lease when it is free or expired, or renew it when held.
    return writeTransaction(this.db, () => {
      const taken = this.db
        .prepare(
          `INSERT INTO scheduler_leader (id, owner, expires_at) VALUES (1, ?, ?)
           ON CONFLICT (id) DO UPDATE SET owner = excluded.owner, expires_at = excluded.expires_at
           WHERE scheduler_leader.owner = excluded.owner OR scheduler_leader.expires_at <= ?`,
        )
        .run(owner, now + ttlMs, now).changes;
      return taken === 1;
    });
  }

  async resign(owner: string): Promise<void> {
    // Purpose: give up the leader lease so another scheduler takes over at once.
    writeTransaction(this.db, () =>
      this.db.prepare(`DELETE FROM scheduler_leader WHERE owner = ?`).run(owner),
    );
  }

  async leader(): Promise<{ owner: string; expiresAt: number } | null> {
    // Purpose: who holds the leader lease, and until when.
    const row = this.db.prepare(`SELECT owner, expires_at FROM scheduler_leader WHERE id = 1`).get() as
      { owner: string; expires_at: number } | undefined;
    return row ? { owner: row.owner, expiresAt: row.expires_at } : null;
  }
}
