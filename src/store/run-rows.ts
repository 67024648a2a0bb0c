/**
 * Rows of `runs`, `steps` and `logs` as the stores return them, shared by the SQLite and
 * PostgreSQL backends so both map columns (JSON held as text, levels, tallies) the same way.
 * No SQL here: each backend's store has its own.
 */
import { LOG_LEVELS } from "../core/contract/values.ts";
import type { LogLevel, RunStatus } from "../core/index.ts";
import { camelRow } from "./camel-row.ts";
import type {
  LogCounts,
  LogListOptions,
  LogTally,
  RunControl,
  RunOptions,
  RunRecord,
  StepRecord,
} from "./types.ts";

/** A row of `runs`. */
export interface RunRow {
  id: string;
  scraper: string;
  source: string | null;
  definition_hash: string;
  status: RunStatus;
  created_at: number;
  started_at: number | null;
  finished_at: number | null;
  updated_at: number;
  error: string | null;
  owner: string | null;
  heartbeat_at: number | null;
  control: RunControl | null;
  pause_reason: string | null;
  breakpoints: string;
  targets: string;
  steps: string;
  stats: string;
  dataset_name: string | null;
  dataset_version: number | null;
  options: string;
  record_key: string | null;
}

/** Column of each `RunRecord` field that `update` may set. */
export const RUN_COLUMNS: Partial<Record<keyof RunRecord, keyof RunRow>> = {
  status: "status",
  startedAt: "started_at",
  finishedAt: "finished_at",
  error: "error",
  owner: "owner",
  heartbeatAt: "heartbeat_at",
  control: "control",
  pauseReason: "pause_reason",
  breakpoints: "breakpoints",
  stats: "stats",
  datasetName: "dataset_name",
  datasetVersion: "dataset_version",
  // A run resumed with a changed definition executes that one from then on.
  source: "source",
  definitionHash: "definition_hash",
};

/** Fields stored as JSON text. */
const RUN_JSON_FIELDS = new Set<keyof RunRecord>(["breakpoints", "stats", "targets", "steps"]);

/** The value a patched run field is stored as (JSON fields as text). */
export function runColumnValue(field: keyof RunRecord, value: unknown): unknown {
  return RUN_JSON_FIELDS.has(field) ? JSON.stringify(value) : value;
}

/** A `runs` row as a record. */
export function toRunRecord(row: RunRow): RunRecord {
  return {
    ...camelRow(row),
    breakpoints: JSON.parse(row.breakpoints) as string[],
    targets: JSON.parse(row.targets) as string[],
    steps: JSON.parse(row.steps) as string[],
    stats: JSON.parse(row.stats) as Record<string, unknown>,
    options: JSON.parse(row.options) as RunOptions,
    recordKey: row.record_key === null ? null : (JSON.parse(row.record_key) as string[]),
  };
}

/** A row of `steps`. */
export interface StepRow {
  run_id: string;
  idx: number;
  name: string;
  kind: string;
  status: StepRecord["status"];
  started_at: number | null;
  finished_at: number | null;
  records_out: number | null;
  result: string | null;
}

/** A `steps` row as a record. */
export function toStepRecord({ run_id, idx, ...row }: StepRow): StepRecord {
  return {
    runId: run_id,
    index: idx,
    ...camelRow(row),
    result: row.result ? (JSON.parse(row.result) as Record<string, unknown>) : null,
  };
}

/** The levels a log listing asks for: exactly `levels`, else `level` and above. */
export function listedLevels(options: LogListOptions): readonly LogLevel[] {
  return options.levels ?? LOG_LEVELS.slice(LOG_LEVELS.indexOf(options.level ?? "debug"));
}

/** A run's tally from its lines counted per level (`n`) with the newest time of each. */
export function toLogTally(rows: readonly { level: LogLevel; n: number; newest: number }[]): LogTally {
  const counts: LogCounts = { debug: 0, info: 0, warn: 0, error: 0 };
  let newestAt: number | null = null;
  for (const row of rows) {
    if (row.level in counts) counts[row.level] = row.n;
    newestAt = Math.max(newestAt ?? row.newest, row.newest);
  }
  return { counts, newestAt };
}
