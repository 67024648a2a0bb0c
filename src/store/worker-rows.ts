/**
 * The `workers` table's row, its report and the values a row is written with: one definition for
 * both backends (sqlite-workers.ts, pg-workers.ts).
 */
import { camelRow } from "./camel-row.ts";
import type { WorkerReport } from "./worker-types.ts";

/** A `workers` row. */
export interface WorkerRow {
  id: string;
  host: string;
  pid: number;
  kind: string;
  started_at: number;
  heartbeat_at: number;
  runs: string;
  leases: number;
  pages_per_second: number;
  concurrency: number;
}

/** The columns, in the order of {@link workerValues}. */
export const WORKER_COLUMNS =
  "id, host, pid, kind, started_at, heartbeat_at, runs, leases, pages_per_second, concurrency";

/** The report of a row, its runs parsed. */
export function toWorkerReport(row: WorkerRow): WorkerReport {
  return { ...camelRow(row), runs: JSON.parse(row.runs) as string[] };
}

/** The values of a row, in {@link WORKER_COLUMNS}' order. */
export function workerValues(w: WorkerReport): unknown[] {
  return [
    w.id,
    w.host,
    w.pid,
    w.kind,
    w.startedAt,
    w.heartbeatAt,
    JSON.stringify(w.runs),
    w.leases,
    w.pagesPerSecond,
    w.concurrency,
  ];
}
