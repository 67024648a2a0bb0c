/**
 * Schedules, their occurrences, the scheduler processes and the leader lease in PostgreSQL: the
 * same `ScheduleStore` as sqlite-schedules.ts. Several schedulers on several machines share one
 * database, so every decision that must happen once is a single atomic statement: the lease an
 * `INSERT … ON CONFLICT DO UPDATE … WHERE` (the conflicting row is locked and its condition read
 * from the latest committed version), a cursor moved only from where it was seen, an occurrence
 * claimed by its primary key.
 */
import { randomBytes } from "node:crypto";
import type pg from "pg";
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
import { storeError } from "./errors.ts";
import { pgTransaction, type PgQueryable } from "./pg-database.ts";
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

type OccurrencePatch = Partial<Pick<OccurrenceRecord, keyof typeof OCCURRENCE_COLUMNS>>;

/** Schedules, their occurrences and the scheduler processes, in PostgreSQL. */
export class PgScheduleStore implements ScheduleStore {
  constructor(private readonly pool: pg.Pool) {}

  async create(schedule: NewSchedule, now: number): Promise<ScheduleRecord> {
    // Purpose: insert a schedule under a fresh id (SCH- and six hex digits) and bump the version.
    const id = await pgTransaction(this.pool, async (client) => {
      for (let attempt = 0; attempt < 100; attempt++) {
        const candidate = `SCH-${randomBytes(3).toString("hex").toUpperCase()}`;
        const inserted = await client.query(
          `INSERT INTO schedules (id, scraper, source, timing, catch_up, grace_ms, overlap, max_failures, retries, jitter_ms, cursor, created_at, updated_at)
           VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $12)
           ON CONFLICT DO NOTHING`,
          [
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
          ],
        );
        if (inserted.rowCount === 1) {
          await bumpVersion(client);
          return candidate;
        }
      }
      throw storeError("TRAWL_ERR_STORE_ID_EXHAUSTED", { what: "schedule" });
    });
    return (await this.get(id))!;
  }

  async get(id: string): Promise<ScheduleRecord | null> {
    // Purpose: one schedule by id (case-insensitive: people type ids).
    const { rows } = await this.pool.query<ScheduleRow>(`SELECT * FROM schedules WHERE id = $1`, [
      id.toUpperCase(),
    ]);
    return rows[0] ? toSchedule(rows[0]) : null;
  }

  async list(): Promise<ScheduleRecord[]> {
    // Purpose: every schedule, oldest first (ids in byte order, as SQLite compares them).
    const { rows } = await this.pool.query<ScheduleRow>(
      `SELECT * FROM schedules ORDER BY created_at, id COLLATE "C"`,
    );
    return rows.map(toSchedule);
  }

  async update(id: string, patch: SchedulePatch, now: number): Promise<boolean> {
    return pgTransaction(this.pool, (client) => updateSchedule(client, id, patch, now));
  }

  async remove(id: string): Promise<boolean> {
    // Purpose: delete a schedule (its history goes with it) and bump the version.
    return pgTransaction(this.pool, async (client) => {
      const removed =
        (await client.query(`DELETE FROM schedules WHERE id = $1`, [id.toUpperCase()])).rowCount === 1;
      if (removed) await bumpVersion(client);
      return removed;
    });
  }

  async version(): Promise<number> {
    // Purpose: the schedules' change counter (its row appears with the first change).
    const { rows } = await this.pool.query<{ value: number }>(
      `SELECT COALESCE((SELECT value FROM counters WHERE name = 'schedules'), 0) AS value`,
    );
    return rows[0]!.value;
  }

  async advance(
    id: string,
    from: number,
    to: number,
    occurrences: NewOccurrence[],
    now: number,
  ): Promise<boolean> {
    // Purpose: move the cursor only from where this scheduler saw it, and record what it decided.
    // A concurrent advance waits for this row's lock, then finds the cursor moved: no row.
    return pgTransaction(this.pool, async (client) => {
      const moved = await client.query(
        `UPDATE schedules SET cursor = $1 WHERE id = $2 AND cursor = $3 AND status = 'active'`,
        [to, id, from],
      );
      if (moved.rowCount === 0) return false;
      for (const occurrence of occurrences) await insertOccurrence(client, occurrence, now);
      return true;
    });
  }

  async claim(occurrence: NewOccurrence, now: number): Promise<boolean> {
    // A new occurrence to start (a manual run, a retry) wakes schedulers like a schedule change.
    return pgTransaction(this.pool, async (client) => {
      const claimed = await insertOccurrence(client, occurrence, now);
      if (claimed) await bumpVersion(client);
      return claimed;
    });
  }

  async settle(
    key: OccurrenceKey,
    patch: OccurrencePatch,
    now: number,
    schedule?: { id: string; patch: SchedulePatch },
  ): Promise<void> {
    // Purpose: record what became of an occurrence, with its effect on the schedule, atomically.
    const sets: string[] = [];
    const params: unknown[] = [key.scheduleId, key.dueAt, key.attempt];
    for (const [field, value] of Object.entries(patch) as [keyof OccurrencePatch, unknown][]) {
      params.push(value);
      sets.push(`${OCCURRENCE_COLUMNS[field]} = $${params.length}`);
    }
    await pgTransaction(this.pool, async (client) => {
      if (sets.length > 0) {
        await client.query(
          `UPDATE schedule_occurrences SET ${sets.join(", ")} WHERE schedule_id = $1 AND due_at = $2 AND attempt = $3`,
          params,
        );
      }
      if (schedule) await updateSchedule(client, schedule.id, schedule.patch, now);
    });
  }

  async occurrences(
    filter: { scheduleId?: string; statuses?: OccurrenceStatus[]; limit?: number } = {},
  ): Promise<OccurrenceRecord[]> {
    // Purpose: history newest first, optionally of one schedule and in some statuses.
    const where: string[] = [];
    const params: unknown[] = [];
    if (filter.scheduleId) {
      params.push(filter.scheduleId.toUpperCase());
      where.push(`schedule_id = $${params.length}`);
    }
    if (filter.statuses?.length) {
      params.push(filter.statuses);
      where.push(`status = ANY($${params.length}::text[])`);
    }
    params.push(filter.limit ?? 100);
    const { rows } = await this.pool.query<OccurrenceRow>(
      `SELECT * FROM schedule_occurrences ${where.length ? `WHERE ${where.join(" AND ")}` : ""}
       ORDER BY due_at DESC, attempt DESC LIMIT $${params.length}`,
      params,
    );
    return rows.map(toOccurrence);
  }

  async beat(p: SchedulerProcess): Promise<void> {
    // Purpose: register or refresh a scheduler process's status row.
    await this.pool.query(
      `INSERT INTO scheduler_processes (owner, pid, host, started_at, heartbeat_at, checked_at, schedules_checked, runs_started, next_due_at)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)
       ON CONFLICT (owner) DO UPDATE SET heartbeat_at = excluded.heartbeat_at, checked_at = excluded.checked_at,
         schedules_checked = excluded.schedules_checked, runs_started = excluded.runs_started, next_due_at = excluded.next_due_at`,
      [
        p.owner,
        p.pid,
        p.host,
        p.startedAt,
        p.heartbeatAt,
        p.checkedAt,
        p.schedulesChecked,
        p.runsStarted,
        p.nextDueAt,
      ],
    );
  }

  async unregister(owner: string): Promise<void> {
    // Purpose: forget a scheduler process that stopped cleanly.
    await this.pool.query(`DELETE FROM scheduler_processes WHERE owner = $1`, [owner]);
  }

  async processes(): Promise<SchedulerProcess[]> {
    // Purpose: every registered scheduler process, most recently alive first.
    const { rows } = await this.pool.query<ProcessRow>(
      `SELECT * FROM scheduler_processes ORDER BY heartbeat_at DESC`,
    );
    return rows.map((row): SchedulerProcess => camelRow(row));
  }

  async lead(owner: string, now: number, ttlMs: number): Promise<boolean> {
    // Purpose: take the leader lease when it is free or expired, or renew it when held. One
    // statement: racing schedulers queue on the row (or on its key when there is none yet) and
    // each judges the lease as the one before it left it, so one owner holds it at a time.
    const taken = await this.pool.query(
      `INSERT INTO scheduler_leader (id, owner, expires_at) VALUES (1, $1, $2)
       ON CONFLICT (id) DO UPDATE SET owner = excluded.owner, expires_at = excluded.expires_at
       WHERE scheduler_leader.owner = excluded.owner OR scheduler_leader.expires_at <= $3`,
      [owner, now + ttlMs, now],
    );
    return taken.rowCount === 1;
  }

  async resign(owner: string): Promise<void> {
    // Purpose: give up the leader lease so another scheduler takes over at once.
    await this.pool.query(`DELETE FROM scheduler_leader WHERE owner = $1`, [owner]);
  }

  async leader(): Promise<{ owner: string; expiresAt: number } | null> {
    // Purpose: who holds the leader lease, and until when.
    const { rows } = await this.pool.query<{ owner: string; expires_at: number }>(
      `SELECT owner, expires_at FROM scheduler_leader WHERE id = 1`,
    );
    return rows[0] ? { owner: rows[0].owner, expiresAt: rows[0].expires_at } : null;
  }
}

async function updateSchedule(
  client: PgQueryable,
  id: string,
  patch: SchedulePatch,
  now: number,
): Promise<boolean> {
  // Purpose: set some columns of a schedule and bump the version. Params: id, now, the values.
  const sets = ["updated_at = $2"];
  const params: unknown[] = [id, now];
  for (const [field, value] of Object.entries(patch) as [keyof SchedulePatch, unknown][]) {
    if (value === undefined) continue;
    params.push(field === "timing" ? JSON.stringify(value) : value);
    sets.push(`${SCHEDULE_COLUMNS[field]} = $${params.length}`);
  }
  const changed = (await client.query(`UPDATE schedules SET ${sets.join(", ")} WHERE id = $1`, params))
    .rowCount;
  if (changed === 1) await bumpVersion(client);
  return changed === 1;
}

async function bumpVersion(client: PgQueryable): Promise<void> {
  // Purpose: count a change of the schedules (SQLite's row is made by its migration; here the
  // first change makes it, so no migration is needed).
  await client.query(
    `INSERT INTO counters (name, value) VALUES ('schedules', 1)
     ON CONFLICT (name) DO UPDATE SET value = counters.value + 1`,
  );
}

async function insertOccurrence(client: PgQueryable, o: NewOccurrence, now: number): Promise<boolean> {
  // Purpose: the claim: the primary key (schedule, due time, attempt) admits one row only.
  const inserted = await client.query(
    `INSERT INTO schedule_occurrences (schedule_id, due_at, attempt, kind, status, reason, start_after, claimed_by, created_at)
     VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)
     ON CONFLICT (schedule_id, due_at, attempt) DO NOTHING`,
    [o.scheduleId, o.dueAt, o.attempt, o.kind, o.status, o.reason, o.startAfter, o.claimedBy, now],
  );
  return inserted.rowCount === 1;
}
