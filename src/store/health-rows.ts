/**
 * The rows of the health tables and how they map to records: one shape for both backends
 * (sqlite-health.ts, pg-health.ts), as the schema is one.
 */
import { camelRow } from "./camel-row.ts";
import type { HealthSampleRecord } from "./types.ts";

/** A `health_samples` row. */
export interface SampleRow {
  role: string;
  at: number;
  process: string;
  rss: number;
  heap_used: number;
  cpu_percent: number;
  load1: number;
  load5: number;
  load15: number;
  memory_total: number;
  memory_free: number;
  disk_total: number | null;
  disk_free: number | null;
  active_runs: number;
  queued_runs: number;
  requests_per_second: number;
  lag_p99_ms: number | null;
  lag_max_ms: number | null;
}

/** A `run_samples` row. */
export interface RunSampleRow {
  run_id: string;
  at: number;
  pages: number;
  requests: number;
}

/** The record of a `health_samples` row. */
export function toSample({ load1, load5, load15, ...row }: SampleRow): HealthSampleRecord {
  return { ...camelRow(row), load: [load1, load5, load15] };
}
