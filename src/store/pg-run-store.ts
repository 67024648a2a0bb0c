/**
 * Runs in PostgreSQL: the same `RunStore` as SQLite's (sqlite-run-store.ts), for processes on
 * several machines. Run ids are compared and ordered bytewise (`COLLATE "C"`), as SQLite does.
 */
import type pg from "pg";
import type { RunStatus } from "../core/index.ts";
import { formatRunId } from "../core/index.ts";
import { randomInt } from "node:crypto";
import { storeError } from "./errors.ts";
import { pgTransaction, type PgQueryable } from "./pg-database.ts";
import { CONTROL_CHANNEL, PgNotifications } from "./pg-queue-notify.ts";
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

/** Parameters of one statement: `add(value)` pushes it and answers its placeholder (`$3`). */
class Params {
  readonly values: unknown[] = [];
  add(value: unknown): string {
    return `$${this.values.push(value)}`;
  }
}

/** Runs in PostgreSQL. */
export class PgRunStore implements RunStore {
  private readonly controls: PgNotifications;

  constructor(private readonly pool: pg.Pool) {
    this.controls = new PgNotifications(pool, CONTROL_CHANNEL);
  }

  async create(run: NewRun, now: number): Promise<RunRecord> {
    return pgTransaction(this.pool, async (client) => {
      // Same ids as SQLite: the time, then a tie-breaker from a random start; a taken id bumps it.
      // Another process inserting the same id makes this insert wait for its commit, then skip.
      const first = randomInt(16);
      for (let bump = 0; bump < 1000; bump++) {
        const candidate = formatRunId(now + 100 * Math.floor((first + bump) / 16), first + bump);
        const { rows } = await client.query<RunRow>(
          `INSERT INTO runs (id, scraper, source, definition_hash, status, created_at, updated_at, breakpoints, targets, steps, options, record_key)
           VALUES ($1, $2, $3, $4, 'queued', $5, $5, $6, $7, $8, $9, $10)
           ON CONFLICT (id) DO NOTHING RETURNING *`,
          [
            candidate,
            run.scraper,
            run.source,
            run.definitionHash,
            now,
            JSON.stringify(run.breakpoints),
            JSON.stringify(run.targets),
            JSON.stringify(run.steps.map((step) => step.name)),
            JSON.stringify(run.options ?? {}),
            run.recordKey ? JSON.stringify(run.recordKey) : null,
          ],
        );
        if (rows[0]) {
          await client.query(
            `INSERT INTO steps (run_id, idx, name, kind)
             SELECT $1, step.n - 1, step.name, step.kind
               FROM unnest($2::text[], $3::text[]) WITH ORDINALITY AS step(name, kind, n)`,
            [candidate, run.steps.map((step) => step.name), run.steps.map((step) => step.kind)],
          );
          return toRunRecord(rows[0]);
        }
      }
      throw storeError("TRAWL_ERR_STORE_ID_EXHAUSTED", { what: "run" });
    });
  }

  async get(id: string): Promise<RunRecord | null> {
    const { rows } = await this.pool.query<RunRow>(`SELECT * FROM runs WHERE id = $1`, [id]);
    return rows[0] ? toRunRecord(rows[0]) : null;
  }

  async list(filter: RunFilter = {}): Promise<RunRecord[]> {
    // Runs newest first (or by change time), filtered by scraper (exact or a part of its name),
    // status, id page, dates.
    const params = new Params();
    const where: string[] = [];
    if (filter.scraper) where.push(`scraper = ${params.add(filter.scraper)}`);
    if (filter.scraperContains) {
      // As SQLite's LIKE: only ASCII letters match either case (the "C" collation folds no
      // other); %, _ and \ in the text are matched as themselves.
      const pattern = `%${filter.scraperContains.replace(/[\\%_]/g, "\\$&")}%`;
      where.push(`scraper ILIKE ${params.add(pattern)} COLLATE "C" ESCAPE '\\'`);
    }
    if (filter.statuses?.length) where.push(`status = ANY(${params.add(filter.statuses)})`);
    const conditions: [unknown, (placeholder: string) => string][] = [
      [filter.before, (p) => `id COLLATE "C" < ${p}`],
      [filter.createdFrom, (p) => `created_at >= ${p}`],
      [filter.createdUntil, (p) => `created_at < ${p}`],
      [filter.updatedAfter, (p) => `updated_at > ${p}`],
    ];
    for (const [value, condition] of conditions) {
      if (value !== undefined) where.push(condition(params.add(value)));
    }
    const order = filter.updatedAfter === undefined ? `id COLLATE "C" DESC` : `updated_at, id COLLATE "C"`;
    const { rows } = await this.pool.query<RunRow>(
      `SELECT * FROM runs ${where.length ? `WHERE ${where.join(" AND ")}` : ""}
        ORDER BY ${order} LIMIT ${params.add(filter.limit ?? 1000)}`,
      params.values,
    );
    return rows.map(toRunRecord);
  }

  async update(id: string, patch: Partial<RunRecord>, expect?: RunStatus[]): Promise<boolean> {
    return updateRow(this.pool, id, patch, expect);
  }

  async transition(id: string, { patch, expect, steps }: RunTransition): Promise<boolean> {
    return pgTransaction(this.pool, async (client) => {
      if (!(await updateRow(client, id, patch, expect))) return false;
      for (const { from, to } of steps) {
        // The run's steps in states `from` move to `to` (ended, paused or resumed with the run).
        await client.query(`UPDATE steps SET status = $1 WHERE run_id = $2 AND status = ANY($3)`, [
          to,
          id,
          from,
        ]);
      }
      return true;
    });
  }

  async claim(id: string, owner: string, now: number, staleBefore: number): Promise<boolean> {
    // Two claimers at once: the second waits for the first's row lock, then re-checks the
    // condition against the row the first wrote, and fails.
    const { rowCount } = await this.pool.query(
      `UPDATE runs SET owner = $2, heartbeat_at = $3, control = NULL, updated_at = $3
        WHERE id = $1 AND (owner IS NULL OR owner = $2 OR heartbeat_at IS NULL OR heartbeat_at < $4)`,
      [id, owner, now, staleBefore],
    );
    return rowCount === 1;
  }

  async heartbeat(id: string, owner: string, now: number): Promise<RunControl | null> {
    // One statement reads the command and clears it under the row's lock, so a command requested
    // meanwhile is either returned now or kept for the next heartbeat, never lost. NO KEY UPDATE:
    // FOR UPDATE would wait for every transaction holding the foreign key's share lock (each
    // process's completions of the run's pages), and stall the new ones behind it.
    const { rows } = await this.pool.query<{ control: RunControl | null }>(
      `WITH old AS (SELECT id, control FROM runs WHERE id = $1 AND owner = $2 FOR NO KEY UPDATE)
       UPDATE runs SET heartbeat_at = $3, control = NULL FROM old
        WHERE runs.id = old.id RETURNING old.control`,
      [id, owner, now],
    );
    return rows[0]?.control ?? null;
  }

  async requestControl(id: string, control: RunControl): Promise<void> {
    // Purpose: queue the command for the run's coordinator, and tell its workers at once (they
    // may miss the column: the coordinator's heartbeat clears it). Params: run, command, channel.
    await this.pool.query(
      `WITH asked AS (UPDATE runs SET control = $2 WHERE id = $1 RETURNING id)
       SELECT pg_notify($3, id || ' ' || $2) FROM asked`,
      [id, control, CONTROL_CHANNEL],
    );
  }

  async saveShareStats(id: string, worker: string, stats: unknown, now: number): Promise<void> {
    // Purpose: keep a worker's statistics of its share of a run. Params: run, worker, JSON, now.
    await this.pool.query(
      `INSERT INTO run_share_stats (run_id, worker, stats, updated_at) VALUES ($1, $2, $3, $4)
       ON CONFLICT (run_id, worker) DO UPDATE SET stats = EXCLUDED.stats, updated_at = EXCLUDED.updated_at`,
      [id, worker, JSON.stringify(stats), now],
    );
  }

  async shareStats(id: string): Promise<{ worker: string; stats: unknown }[]> {
    // Purpose: every worker's statistics of its share of a run. Params: run.
    const { rows } = await this.pool.query<{ worker: string; stats: string }>(
      `SELECT worker, stats FROM run_share_stats WHERE run_id = $1 ORDER BY worker COLLATE "C"`,
      [id],
    );
    return rows.map((row) => ({ worker: row.worker, stats: JSON.parse(row.stats) as unknown }));
  }

  async announceControl(id: string, control: RunControl): Promise<void> {
    // Purpose: tell the run's workers of a command its coordinator (the caller) applied itself.
    // Params: channel, payload.
    await this.pool.query(`SELECT pg_notify($1, $2)`, [CONTROL_CHANNEL, `${id} ${control}`]);
  }

  watchControls(listener: (runId: string, control: RunControl) => void): () => void {
    return this.controls.watch((payload) => {
      const [runId, control] = payload.split(" ");
      if (runId && control) listener(runId, control as RunControl);
    });
  }

  async census(): Promise<RunCensus> {
    // Every run's status, and only live runs' queues (a scan of every request ever made would
    // grow with the database), ordered as SQLite groups them.
    const runs = await this.pool.query<RunCensus["runs"][number]>(
      `SELECT status, COUNT(*) AS count FROM runs GROUP BY status ORDER BY status COLLATE "C"`,
    );
    const requests = await this.pool.query<RunCensus["requests"][number]>(
      `SELECT r.status, q.state, COUNT(*) AS count, COALESCE(SUM(q.records), 0)::bigint AS records
         FROM runs r JOIN requests q ON q.run_id = r.id
        WHERE r.status IN ('queued', 'running', 'paused')
        GROUP BY r.status, q.state
        ORDER BY r.status COLLATE "C", q.state COLLATE "C"`,
    );
    return { runs: runs.rows, requests: requests.rows };
  }
}

/** Sets some columns of a run, optionally only from the expected statuses; true if it did. */
async function updateRow(
  db: PgQueryable,
  id: string,
  patch: Partial<RunRecord>,
  expect?: RunStatus[],
): Promise<boolean> {
  const params = new Params();
  const sets = [`updated_at = ${params.add(patch.updatedAt ?? Date.now())}`];
  for (const [field, value] of Object.entries(patch) as [keyof RunRecord, unknown][]) {
    const column = RUN_COLUMNS[field];
    // PostgreSQL text cannot hold a NUL (an error message quoting a page may): U+FFFD stands in.
    const stored = runColumnValue(field, value);
    const text = typeof stored === "string" ? stored.replaceAll("\u0000", "\ufffd") : stored;
    if (column) sets.push(`${column} = ${params.add(text)}`);
  }
  let sql = `UPDATE runs SET ${sets.join(", ")} WHERE id = ${params.add(id)}`;
  if (expect?.length) sql += ` AND status = ANY(${params.add(expect)})`;
  const { rowCount } = await db.query(sql, params.values);
  return rowCount === 1;
}
