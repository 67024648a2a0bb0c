/**
 * When a schedule fires: its kind (cron, interval, once, daily, weekly, manual), its zone and the
 * window it may fire in, and the occurrences that follow from them. Cron arithmetic, time zones
 * and daylight saving time are croner's; the rules users can rely on are in docs/scheduling.md.
 */
import { Cron } from "croner";
import { scheduleError } from "./errors.ts";
import { FLAG_NAMES, type FieldNames } from "./field-names.ts";
import { formatDurationSpec } from "./duration.ts";
import { admits, formatActiveHours, formatDays, formatMinute, type Admission } from "./window.ts";

/** The rhythm of a schedule. Times of day are minutes after local midnight. */
export type Rhythm =
  | { kind: "cron"; cron: string }
  /** Every `everyMs` of elapsed time from `anchor` (an instant), whatever the wall clock does. */
  | { kind: "interval"; everyMs: number; anchor: number }
  | { kind: "once"; at: number }
  | { kind: "daily"; minute: number }
  | { kind: "weekly"; days: number[]; minute: number }
  | { kind: "manual" };

/** A rhythm with the zone and window it is read in. */
export interface Timing extends Admission {
  rhythm: Rhythm;
}

/**
 * How far an occurrence inside the window is searched for before a timing counts as never firing:
 * so many candidates, and no further than 8 years ahead (leap days can be 8 years apart).
 */
const SEARCH_CANDIDATES = 100_000;
const SEARCH_HORIZON_MS = (8 * 366 + 1) * 86_400_000;

/** The croner job of a cron-like rhythm (cron, daily, weekly). */
function cronOf(rhythm: Rhythm, zone: string): Cron | null {
  const pattern =
    rhythm.kind === "cron"
      ? rhythm.cron
      : rhythm.kind === "daily"
        ? `${rhythm.minute % 60} ${Math.floor(rhythm.minute / 60)} * * *`
        : rhythm.kind === "weekly"
          ? `${rhythm.minute % 60} ${Math.floor(rhythm.minute / 60)} * * ${rhythm.days.join(",")}`
          : null;
  if (pattern === null) return null;
  // 5 fields, or 6 with seconds first; day-of-month and day-of-week OR'ed when both are set (Vixie).
  return new Cron(pattern, { timezone: zone, paused: true, mode: "5-or-6-parts", domAndDow: false });
}

/** The rhythm's next candidate strictly after `after`, ignoring the window; null when there is none. */
function nextCandidate(rhythm: Rhythm, cron: Cron | null, after: number): number | null {
  switch (rhythm.kind) {
    case "manual":
      return null;
    case "once":
      return rhythm.at > after ? rhythm.at : null;
    case "interval": {
      const steps = Math.floor((after - rhythm.anchor) / rhythm.everyMs) + 1;
      return rhythm.anchor + Math.max(0, steps) * rhythm.everyMs;
    }
    default:
      return cron!.nextRun(new Date(after))?.getTime() ?? null;
  }
}

/**
 * Computes a timing's occurrences: the instants it fires at, in order, each strictly after the
 * previous one. Candidates outside the active hours and days are skipped, never shifted.
 */
export class Occurrences {
  private readonly cron: Cron | null;

  constructor(readonly timing: Timing) {
    this.cron = cronOf(timing.rhythm, timing.zone);
  }

  /** The first occurrence strictly after `after`, or null when there is none (any more). */
  next(after: number): number | null {
    let from = after;
    for (let i = 0; i < SEARCH_CANDIDATES; i++) {
      const candidate = nextCandidate(this.timing.rhythm, this.cron, from);
      if (candidate === null || candidate - after > SEARCH_HORIZON_MS) return null;
      if (admits(this.timing, candidate)) return candidate;
      from = candidate;
    }
    return null;
  }

  /** Up to `count` occurrences strictly after `after`. */
  upcoming(after: number, count: number): number[] {
    const found: number[] = [];
    for (let at = this.next(after); at !== null && found.length < count; at = this.next(at)) found.push(at);
    return found;
  }

  /** The occurrences in `(after, until]`, oldest first, at most `limit` of them (the newest kept). */
  between(after: number, until: number, limit: number): { occurrences: number[]; omitted: number } {
    const kept: number[] = [];
    let omitted = 0;
    for (let at = this.next(after); at !== null && at <= until; at = this.next(at)) {
      kept.push(at);
      if (kept.length > limit) {
        kept.shift();
        omitted++;
      }
    }
    return { occurrences: kept, omitted };
  }
}

/**
 * Checks that a timing is valid and fires at least once after `now`: a cron expression croner
 * rejects, one that can never match (`0 0 30 2 *`), a past `--at`, or a window that no occurrence
 * falls into are usage errors naming the field.
 */
export function checkTiming(timing: Timing, now: number, names: FieldNames = FLAG_NAMES): Timing {
  let occurrences: Occurrences;
  try {
    occurrences = new Occurrences(timing);
  } catch (error) {
    const reason = error instanceof Error ? error.message.replace(/^CronPattern: /, "") : String(error);
    throw scheduleError(
      "TRAWL_ERR_SCHEDULE_CRON",
      `${names.of("cron")}: "${describeRhythm(timing.rhythm)}" is invalid: ${reason}`,
    );
  }
  if (timing.rhythm.kind === "manual" || occurrences.next(now) !== null) return timing;
  const rhythm = timing.rhythm;
  if (rhythm.kind === "once" && rhythm.at <= now) {
    throw scheduleError(
      "TRAWL_ERR_SCHEDULE_TIME",
      `${names.of("at")}: ${new Date(rhythm.at).toISOString()} is in the past`,
    );
  }
  const unrestricted = new Occurrences({ ...timing, activeHours: null, days: null });
  if (unrestricted.next(now) !== null) {
    const field = names.of(timing.activeHours ? "activeHours" : "days");
    throw scheduleError(
      "TRAWL_ERR_SCHEDULE_NEVER",
      `${field}: no occurrence of "${describeRhythm(rhythm)}" falls inside ${describeWindow(timing)}, so it would never run`,
    );
  }
  throw scheduleError(
    "TRAWL_ERR_SCHEDULE_NEVER",
    `${names.of("cron")}: "${describeRhythm(rhythm)}" can never fire (no date matches it)`,
  );
}

/** The rhythm as it would be typed: `cron 30 2 * * *`-like, for lists and errors. */
export function describeRhythm(rhythm: Rhythm): string {
  switch (rhythm.kind) {
    case "cron":
      return rhythm.cron;
    case "interval":
      return `every ${formatDurationSpec(rhythm.everyMs)}`;
    case "once":
      return `at ${new Date(rhythm.at).toISOString()}`;
    case "daily":
      return `daily ${formatMinute(rhythm.minute)}`;
    case "weekly":
      return `weekly ${formatDays(rhythm.days)}@${formatMinute(rhythm.minute)}`;
    case "manual":
      return "manual";
  }
}

/** The window part of a timing: `22:00-06:00 mon-fri`, or `any time`. */
export function describeWindow(timing: Admission): string {
  const parts = [
    ...(timing.activeHours ? [formatActiveHours(timing.activeHours)] : []),
    ...(timing.days ? [formatDays(timing.days)] : []),
  ];
  return parts.length > 0 ? parts.join(" ") : "any time";
}
