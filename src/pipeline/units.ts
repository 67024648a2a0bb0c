/**
 * Durations, byte sizes and tolerances as written in definitions: `"30s"`, `"10m"`, `"10MB"`,
 * `"10%"`, or plain numbers.
 */
import { bytesOf, SIZE_PATTERN } from "../core/index.ts";

/** `250ms`, `30s`, `1.5m`, `2h`, `1d` (whitespace between number and unit allowed). */
export const DURATION_PATTERN = /^(\d+(?:\.\d+)?)\s*(ms|s|m|h|d)$/;

/** `512KB`, `10MB`, `2GiB`, or bytes (core/sizes.ts: one rule for every size trawl reads). */
export { SIZE_PATTERN };

/** `0%` to `100%`, decimals allowed. */
export const PERCENT_PATTERN = /^(100(\.0+)?|\d{1,2}(\.\d+)?)%$/;

const DURATION_MS: Record<string, number> = { ms: 1, s: 1000, m: 60_000, h: 3_600_000, d: 86_400_000 };

/**
 * Milliseconds of a duration. A number is already milliseconds.
 *
 * @throws RangeError when the text does not match {@link DURATION_PATTERN} (the schema checks
 *   this first, so compiled definitions never throw).
 */
export function parseDuration(value: number | string): number {
  if (typeof value === "number") return value;
  const match = DURATION_PATTERN.exec(value.trim());
  if (!match) throw new RangeError(`not a duration: ${value}`);
  return Math.round(Number(match[1]) * DURATION_MS[match[2]!]!);
}

/**
 * Bytes of a size. A number is already bytes; a unit-less string too.
 *
 * @throws RangeError when the text does not match {@link SIZE_PATTERN}.
 */
export function parseSize(value: number | string): number {
  if (typeof value === "number") return value;
  const bytes = bytesOf(value);
  if (bytes === undefined) throw new RangeError(`not a size: ${value}`);
  return bytes;
}

/** How many of something (failed requests, dropped records) is tolerated. */
export type Tolerance = { count: number } | { share: number };

/**
 * A tolerance as written: a count (`50`), or a percentage of the total (`"10%"`).
 *
 * @throws RangeError when the text does not match {@link PERCENT_PATTERN}.
 */
export function parseTolerance(value: number | string): Tolerance {
  if (typeof value === "number") return { count: value };
  if (!PERCENT_PATTERN.test(value)) throw new RangeError(`not a percentage: ${value}`);
  return { share: Number.parseFloat(value) / 100 };
}

/** The most `tolerance` allows out of `total`. */
export function tolerated(tolerance: Tolerance, total: number): number {
  return "count" in tolerance ? tolerance.count : tolerance.share * total;
}

/** `50` or `10%`, the way it was written. */
export function describeTolerance(tolerance: Tolerance): string {
  return "count" in tolerance ? String(tolerance.count) : `${Math.round(tolerance.share * 1e6) / 1e4}%`;
}

/** `3 of 4 requests (75 %)`. */
export function describeShare(part: number, total: number, noun: string): string {
  return `${part} of ${total} ${noun} (${Math.round((part / total) * 1000) / 10} %)`;
}
