/**
 * The `captures` table's row and its record: one definition for both backends
 * (sqlite-captures.ts, pg-captures.ts).
 */
import { camelRow } from "./camel-row.ts";
import type { CaptureKind, CaptureRecord } from "./types.ts";

/** A `captures` row. */
export interface CaptureRow {
  id: number;
  run_id: string;
  at: number;
  kind: CaptureKind;
  url: string | null;
  detail: string;
  blob: string | null;
  size: number | null;
}

/** The record of a row, its `detail` parsed. */
export function toRecord(row: CaptureRow): CaptureRecord {
  return { ...camelRow(row), detail: JSON.parse(row.detail) as Record<string, unknown> };
}
