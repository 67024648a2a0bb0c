/** The fleet's reports in PostgreSQL: the same `WorkerStore` as sqlite-workers.ts (migration 7). */
import type pg from "pg";
import { toWorkerReport, WORKER_COLUMNS, workerValues, type WorkerRow } from "./worker-rows.ts";
import type { WorkerReport, WorkerStore } from "./worker-types.ts";

/** The fleet's reports in PostgreSQL (table `workers`). */
export class PgWorkerStore implements WorkerStore {
  constructor(private readonly pool: pg.Pool) {}

  async report(worker: WorkerReport): Promise<void> {
    // Purpose: a process's heartbeat replaces its last report.
    await this.pool.query(
      `INSERT INTO workers (${WORKER_COLUMNS}) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)
       ON CONFLICT (id) DO UPDATE SET host = EXCLUDED.host, pid = EXCLUDED.pid, kind = EXCLUDED.kind,
         started_at = EXCLUDED.started_at, heartbeat_at = EXCLUDED.heartbeat_at, runs = EXCLUDED.runs,
         leases = EXCLUDED.leases, pages_per_second = EXCLUDED.pages_per_second,
         concurrency = EXCLUDED.concurrency`,
      workerValues(worker),
    );
  }

  async leave(id: string): Promise<void> {
    // Purpose: a process that exits cleanly leaves the fleet at once.
    await this.pool.query(`DELETE FROM workers WHERE id = $1`, [id]);
  }

  async list(): Promise<WorkerReport[]> {
    // Purpose: `trawl workers`, the Workers page: the most recently heard from first (ids in
    // bytewise order, as SQLite's).
    const { rows } = await this.pool.query<WorkerRow>(
      `SELECT ${WORKER_COLUMNS} FROM workers ORDER BY heartbeat_at DESC, id COLLATE "C"`,
    );
    return rows.map(toWorkerReport);
  }

  async prune(before: number): Promise<number> {
    // Purpose: forget processes that stopped reporting (killed, crashed) long enough ago.
    const result = await this.pool.query(`DELETE FROM workers WHERE heartbeat_at < $1`, [before]);
    return result.rowCount ?? 0;
  }
}
