/**
 * Health samples and their samplers' leases in PostgreSQL: the same `HealthStore` as
 * sqlite-health.ts. A sampler lease is one atomic upsert, as the scheduler's (pg-schedules.ts).
 */
import type pg from "pg";
import { camelRow } from "./camel-row.ts";
import { toSample, type RunSampleRow, type SampleRow } from "./health-rows.ts";
import { pgTransaction } from "./pg-database.ts";
import type { HealthSampleRecord, HealthStore, RunSampleRecord } from "./types.ts";

/** The columns of a sample, in the order `add` binds them. */
const SAMPLE_COLUMNS = [
  "role",
  "at",
  "process",
  "rss",
  "heap_used",
  "cpu_percent",
  "load1",
  "load5",
  "load15",
  "memory_total",
  "memory_free",
  "disk_total",
  "disk_free",
  "active_runs",
  "queued_runs",
  "requests_per_second",
  "lag_p99_ms",
  "lag_max_ms",
];

/** Health samples and their samplers' leases, in PostgreSQL. */
export class PgHealthStore implements HealthStore {
  constructor(private readonly pool: pg.Pool) {}

  async lead(role: string, owner: string, now: number, ttlMs: number): Promise<boolean> {
    // Purpose: take the role's sampler lease when it is free or expired, or renew it when held.
    const taken = await this.pool.query(
      `INSERT INTO health_samplers (role, owner, expires_at) VALUES ($1, $2, $3)
       ON CONFLICT (role) DO UPDATE SET owner = excluded.owner, expires_at = excluded.expires_at
       WHERE health_samplers.owner = excluded.owner OR health_samplers.expires_at <= $4`,
      [role, owner, now + ttlMs, now],
    );
    return taken.rowCount === 1;
  }

  async resign(role: string, owner: string): Promise<void> {
    // Purpose: give up the role's lease so another process samples without waiting for it to expire.
    await this.pool.query(`DELETE FROM health_samplers WHERE role = $1 AND owner = $2`, [role, owner]);
  }

  async add(s: HealthSampleRecord, runs: readonly RunSampleRecord[] = []): Promise<void> {
    // Purpose: store one sample and the running runs' progress (a second one at the same instant replaces it).
    const updates = SAMPLE_COLUMNS.slice(2).map((column) => `${column} = excluded.${column}`);
    await pgTransaction(this.pool, async (client) => {
      await client.query(
        `INSERT INTO health_samples (${SAMPLE_COLUMNS.join(", ")})
         VALUES (${SAMPLE_COLUMNS.map((_, i) => `$${i + 1}`).join(", ")})
         ON CONFLICT (role, at) DO UPDATE SET ${updates.join(", ")}`,
        [
          s.role,
          s.at,
          s.process,
          s.rss,
          s.heapUsed,
          s.cpuPercent,
          ...s.load,
          s.memoryTotal,
          s.memoryFree,
          s.diskTotal,
          s.diskFree,
          s.activeRuns,
          s.queuedRuns,
          s.requestsPerSecond,
          s.lagP99Ms,
          s.lagMaxMs,
        ],
      );
      for (const r of runs) {
        await client.query(
          `INSERT INTO run_samples (run_id, at, pages, requests) VALUES ($1, $2, $3, $4)
           ON CONFLICT (run_id, at) DO UPDATE SET pages = excluded.pages, requests = excluded.requests`,
          [r.runId, r.at, r.pages, r.requests],
        );
      }
    });
  }

  async list(filter: {
    role?: string;
    from: number;
    until: number;
    limit?: number;
  }): Promise<HealthSampleRecord[]> {
    // Purpose: samples of a time range (of one role, or all), the newest `limit`, returned oldest
    // first. Params: from, until, limit[, role].
    const role = filter.role === undefined ? "" : "AND role = $4";
    const { rows } = await this.pool.query<SampleRow>(
      `SELECT * FROM health_samples WHERE at >= $1 AND at < $2 ${role} ORDER BY at DESC, role COLLATE "C" LIMIT $3`,
      [
        filter.from,
        filter.until,
        filter.limit ?? 10_000,
        ...(filter.role === undefined ? [] : [filter.role]),
      ],
    );
    return rows.reverse().map(toSample);
  }

  async listRun(runId: string, filter: { from: number; until: number }): Promise<RunSampleRecord[]> {
    // Purpose: a run's progress over a time range, for its pages/s.
    const { rows } = await this.pool.query<RunSampleRow>(
      `SELECT run_id, at, pages, requests FROM run_samples WHERE run_id = $1 AND at >= $2 AND at < $3 ORDER BY at`,
      [runId, filter.from, filter.until],
    );
    return rows.map((row) => camelRow(row));
  }

  async prune(before: number): Promise<number> {
    // Purpose: forget samples (and runs' progress samples) older than the retention.
    return pgTransaction(this.pool, async (client) => {
      await client.query(`DELETE FROM run_samples WHERE at < $1`, [before]);
      return (await client.query(`DELETE FROM health_samples WHERE at < $1`, [before])).rowCount ?? 0;
    });
  }
}
