import { camelRow } from "./camel-row.ts";
import { writeTransaction, type SqliteDatabase } from "./database.ts";
import { toSample, type RunSampleRow, type SampleRow } from "./health-rows.ts";
import type { HealthSampleRecord, HealthStore, RunSampleRecord } from "./types.ts";

/** Health samples and their samplers' leases, in SQLite. */
export class SqliteHealthStore implements HealthStore {
  constructor(private readonly db: SqliteDatabase) {}

  async lead(role: string, owner: string, now: number, ttlMs: number): Promise<boolean> {
    // Purpose: take the role's sampler lease when it is free or expired, or renew it when held.
    return writeTransaction(this.db, () => {
      const taken = this.db
        .prepare(
          `INSERT INTO health_samplers (role, owner, expires_at) VALUES (?, ?, ?)
           ON CONFLICT (role) DO UPDATE SET owner = excluded.owner, expires_at = excluded.expires_at
           WHERE health_samplers.owner = excluded.owner OR health_samplers.expires_at <= ?`,
        )
        .run(role, owner, now + ttlMs, now).changes;
      return taken === 1;
    });
  }

  async resign(role: string, owner: string): Promise<void> {
    // Purpose: give up the role's lease so another process samples without waiting for it to expire.
    writeTransaction(this.db, () =>
      this.db.prepare(`DELETE FROM health_samplers WHERE role = ? AND owner = ?`).run(role, owner),
    );
  }

  async add(s: HealthSampleRecord, runs: readonly RunSampleRecord[] = []): Promise<void> {
    // Purpose: store one sample and the running runs' progress (a second one at the same instant replaces it).
    writeTransaction(this.db, () => {
      this.db
        .prepare(
          `INSERT OR REPLACE INTO health_samples (role, at, process, rss, heap_used, cpu_percent, load1, load5, load15,
             memory_total, memory_free, disk_total, disk_free, active_runs, queued_runs, requests_per_second,
             lag_p99_ms, lag_max_ms)
           VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
        )
        .run(
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
        );
      const run = this.db.prepare(
        `INSERT OR REPLACE INTO run_samples (run_id, at, pages, requests) VALUES (?, ?, ?, ?)`,
      );
      for (const r of runs) run.run(r.runId, r.at, r.pages, r.requests);
    });
  }

  async list(filter: {
    role?: string;
    from: number;
    until: number;
    limit?: number;
  }): Promise<HealthSampleRecord[]> {
    // Purpose: samples of a time range (of one role, or all), the newest `limit`, returned oldest first.
    const role = filter.role === undefined ? "" : "AND role = ?";
    const rows = this.db
      .prepare(`SELECT * FROM health_samples WHERE at >= ? AND at < ? ${role} ORDER BY at DESC, role LIMIT ?`)
      .all(
        filter.from,
        filter.until,
        ...(filter.role === undefined ? [] : [filter.role]),
        filter.limit ?? 10_000,
      ) as SampleRow[];
    return rows.reverse().map(toSample);
  }

  async listRun(runId: string, filter: { from: number; until: number }): Promise<RunSampleRecord[]> {
    // Purpose: a run's progress over a time range, for its pages/s.
    return this.db
      .prepare(
        `SELECT run_id, at, pages, requests FROM run_samples WHERE run_id = ? AND at >= ? AND at < ? ORDER BY at`,
      )
      .all(runId, filter.from, filter.until)
      .map((row) => camelRow(row as RunSampleRow));
  }

  async prune(before: number): Promise<number> {
    // Purpose: forget samples (and runs' progress samples) older than the retention.
    return writeTransaction(this.db, () => {
      this.db.prepare(`DELETE FROM run_samples WHERE at < ?`).run(before);
      return this.db.prepare(`DELETE FROM health_samples WHERE at < ?`).run(before).changes;
    });
  }
}
