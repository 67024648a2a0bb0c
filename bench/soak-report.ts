/**
 * What a soak reports: the server's figures over time as a table, and how fast memory grows after
 * warm-up (the least-squares slope, in MB per 10 minutes) against the goal.
 */
import type { ProcessFigures } from "./soak-server.ts";

/** The goal (16, §8): after warm-up, memory grows under 1 MB per 10 minutes. */
export const GOAL_MB_PER_10_MIN = 1;

const TEN_MINUTES = 10 * 60_000;

/** The least-squares slope of `value` over `at` (ms), in units per 10 minutes; 0 with fewer than two points. */
export function slopePer10Minutes(points: { at: number; value: number }[]): number {
  const n = points.length;
  if (n < 2) return 0;
  const meanAt = points.reduce((sum, p) => sum + p.at, 0) / n;
  const meanValue = points.reduce((sum, p) => sum + p.value, 0) / n;
  let covariance = 0;
  let variance = 0;
  for (const p of points) {
    covariance += (p.at - meanAt) * (p.value - meanValue);
    variance += (p.at - meanAt) ** 2;
  }
  return variance === 0 ? 0 : (covariance / variance) * TEN_MINUTES;
}

/** One row of the table: the figures and how many runs had ended by then. */
export type SoakRow = ProcessFigures & { runs: number };

/** The figures as an aligned text table. */
export function formatTable(rows: SoakRow[]): string {
  const head = ["time", "runs", "RSS MB", "heap MB", "code MB", "V8 MB", "handles", "open files"];
  const body = rows.map((r) => [
    clock(r.at),
    String(r.runs),
    r.rssMb.toFixed(1),
    r.heapMb.toFixed(1),
    r.codeMb.toFixed(2),
    r.v8Mb.toFixed(1),
    String(r.handles),
    r.fds === null ? "-" : String(r.fds),
  ]);
  const widths = head.map((h, i) => Math.max(h.length, ...body.map((row) => row[i]!.length)));
  const line = (cells: string[]) => cells.map((c, i) => c.padStart(widths[i]!)).join("  ");
  return [line(head), ...body.map(line)].join("\n");
}

/**
 * The memory slopes after warm-up, and whether each meets the goal; `code` (V8's code space, a
 * part of RSS) says how much of the RSS slope is compiled code still growing, `v8` how much is
 * V8's committed heap (code included), and `native` what is left: memory outside V8.
 */
export function memorySlopes(rows: SoakRow[], warmUpMs: number) {
  const after = rows.filter((r) => r.at >= warmUpMs);
  const slope = (value: (r: SoakRow) => number) =>
    slopePer10Minutes(after.map((r) => ({ at: r.at, value: value(r) })));
  const rss = slope((r) => r.rssMb);
  const heap = slope((r) => r.heapMb);
  return {
    samples: after.length,
    rss,
    heap,
    code: slope((r) => r.codeMb),
    v8: slope((r) => r.v8Mb),
    native: slope((r) => r.rssMb - r.v8Mb),
    rssOk: rss < GOAL_MB_PER_10_MIN,
    heapOk: heap < GOAL_MB_PER_10_MIN,
  };
}

/** `m:ss` of a duration in ms. */
function clock(ms: number): string {
  const seconds = Math.round(ms / 1000);
  return `${Math.floor(seconds / 60)}:${String(seconds % 60).padStart(2, "0")}`;
}
