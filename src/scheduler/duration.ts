/** Durations as people write them in schedules: `90s`, `15m`, `1h30m`, `2d`. */
import { scheduleError } from "./errors.ts";

const UNIT_MS: Record<string, number> = {
  ms: 1,
  s: 1000,
  m: 60_000,
  min: 60_000,
  h: 3_600_000,
  d: 86_400_000,
  w: 604_800_000,
};

const PART = /(\d+(?:\.\d+)?)(ms|min|s|m|h|d|w)/y;

/** Milliseconds of `text`, a sequence of number+unit parts (`ms s m min h d w`); usage error naming `field` otherwise. */
export function parseDuration(text: string, field: string): number {
  const compact = text.trim().toLowerCase().replace(/\s+/g, "");
  let total = 0;
  PART.lastIndex = 0;
  while (PART.lastIndex < compact.length) {
    const match = PART.exec(compact);
    if (!match) break;
    total += Number(match[1]) * UNIT_MS[match[2]!]!;
  }
  if (compact === "" || PART.lastIndex !== compact.length || total <= 0) {
    PART.lastIndex = 0;
    throw scheduleError(
      "TRAWL_ERR_SCHEDULE_DURATION",
      `${field}: "${text}" is not a duration (expected e.g. 90s, 15m, 1h30m or 2d)`,
    );
  }
  PART.lastIndex = 0;
  return Math.round(total);
}

/** The shortest exact spelling of a duration: `15m`, `1h30m`, `1500ms`. */
export function formatDurationSpec(ms: number): string {
  let rest = ms;
  const parts: string[] = [];
  for (const [unit, size] of [
    ["d", 86_400_000],
    ["h", 3_600_000],
    ["m", 60_000],
    ["s", 1000],
  ] as const) {
    if (rest >= size) {
      parts.push(`${Math.floor(rest / size)}${unit}`);
      rest %= size;
    }
  }
  if (rest > 0) parts.push(`${rest}ms`);
  return parts.join("") || "0s";
}
