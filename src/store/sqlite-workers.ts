import type { Statement } from "better-sqlite3";
import { writeTransaction, type SqliteDatabase } from "./database.ts";
import { toWorkerReport, WORKER_COLUMNS, workerValues, type WorkerRow } from "./worker-rows.ts";
import type { WorkerReport, WorkerStore } from "./worker-types.ts";

/** The fleet's reports in SQLite (table `workers`, migration 18). */
export class SqliteWorkerStore implements WorkerStore {
  // Prepared once: each process executing runs writes its row every second.
  private upsert: Statement | undefined;

  constructor(private readonly db: SqliteDatabase) {}

  async report(worker: WorkerReport): Promise<void> {
    // Purpose: a process's heartbeat replaces its last report.
    this.upsert ??= this.db.prepare(
      `INSERT OR REPLACE INTO workers (${WORKER_COLUMNS}) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
    );
    const upsert = this.upsert;
    writeTransaction(this.db, () => upsert.run(...workerValues(worker)));
  }

  async leave(id: string): Promise<void> {
    // Purpose: a process that exits cleanly leaves the fleet at once.
    writeTransaction(this.db, () => this.db.prepare(`DELETE FROM workers WHERE id = ?`).run(id));
  }

  async list(): Promise<WorkerReport[]> {
    // Purpose: `trawl workers`, the Workers page: the most recently heard from first.
    const rows = this.db
      .prepare(`SELECT ${WORKER_COLUMNS} FROM workers ORDER BY heartbeat_at DESC, id`)
      .all() as WorkerRow[];
    return rows.map(toWorkerReport);
  }

  async prune(before: number): Promise<number> {
    // Purpose: forget processes that stopped reporting (killed, crashed) long enough ago.
    return writeTransaction(
      this.db,
      () => this.db.prepare(`DELETE FROM workers WHERE heartbeat_at < ?`).run(before).changes,
    );
  }
}
