import { randomInt } from "node:crypto";

/**
 * Run ids look like `RUN-20261122-7F3A9C`: the UTC date, then six hex digits counting tenths of
 * a second since midnight (20 bits) and a 4-bit tie-breaker, so ids sort by creation time.
 */
export function newRunId(now: number = Date.now()): string {
  return formatRunId(now, randomInt(16));
}

/** The id for `now` with an explicit tie-breaker (0–15); stores bump it when an id is taken. */
export function formatRunId(now: number, tieBreaker: number): string {
  const date = new Date(now);
  const day = date.toISOString().slice(0, 10).replaceAll("-", "");
  const tenths = Math.floor(
    (now - Date.UTC(date.getUTCFullYear(), date.getUTCMonth(), date.getUTCDate())) / 100,
  );
  const value = tenths * 16 + (tieBreaker & 15);
  return `RUN-${day}-${value.toString(16).toUpperCase().padStart(6, "0")}`;
}

/** True when `id` has the shape of a run id. */
export function isRunId(id: string): boolean {
  return /^RUN-\d{8}-[0-9A-F]{6}$/.test(id);
}
