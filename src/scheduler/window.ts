/**
 * Active hours and days: when a schedule may fire, in its own zone. An occurrence outside them is
 * skipped, never shifted into the window.
 */
import { scheduleError } from "./errors.ts";
import { localWeekdayAndMinute } from "./zone.ts";

/** A daily window in minutes of the day; `end` is exclusive and may be before `start` (crosses midnight). */
export interface ActiveHours {
  start: number;
  end: number;
}

/** Weekday names, 0 = Sunday as in cron. */
export const WEEKDAYS = ["sun", "mon", "tue", "wed", "thu", "fri", "sat"] as const;

/** Minutes of the day of `HH:MM` (00:00–23:59), or null. */
export function minuteOfDay(text: string): number | null {
  const match = /^(\d{1,2}):(\d{2})$/.exec(text.trim());
  if (!match) return null;
  const hours = Number(match[1]);
  const minutes = Number(match[2]);
  return hours < 24 && minutes < 60 ? hours * 60 + minutes : null;
}

/** `HH:MM` of a minute of the day. */
export function formatMinute(minute: number): string {
  return `${String(Math.floor(minute / 60)).padStart(2, "0")}:${String(minute % 60).padStart(2, "0")}`;
}

/** Parses `HH:MM-HH:MM` (end exclusive; `22:00-06:00` crosses midnight). */
export function parseActiveHours(text: string, field = "--active-hours"): ActiveHours {
  const [from, to, ...rest] = text.split("-");
  const start = from === undefined ? null : minuteOfDay(from);
  const end = to === undefined ? null : minuteOfDay(to);
  if (start === null || end === null || rest.length > 0) {
    throw scheduleError(
      "TRAWL_ERR_SCHEDULE_WINDOW",
      `${field}: "${text}" is not a window (expected HH:MM-HH:MM, e.g. 07:00-22:00 or 22:00-06:00)`,
    );
  }
  if (start === end) {
    throw scheduleError(
      "TRAWL_ERR_SCHEDULE_WINDOW",
      `${field}: "${text}" is an empty window (start equals end)`,
    );
  }
  return { start, end };
}

/** `HH:MM-HH:MM` of a window. */
export function formatActiveHours(window: ActiveHours): string {
  return `${formatMinute(window.start)}-${formatMinute(window.end)}`;
}

/** Whether a minute of the day lies inside the window. */
export function insideWindow(window: ActiveHours, minute: number): boolean {
  return window.start < window.end
    ? minute >= window.start && minute < window.end
    : minute >= window.start || minute < window.end;
}

/**
 * Parses days of the week: names (`mon`, `monday`), comma lists and ranges (`mon-fri`, `fri-mon`
 * wraps over the weekend). Returns sorted weekday numbers, 0 = Sunday.
 */
export function parseDays(text: string, field = "--days"): number[] {
  const days = new Set<number>();
  for (const part of text.toLowerCase().split(",")) {
    const [from, to, ...rest] = part.trim().split("-");
    const first = weekdayOf(from);
    const last = to === undefined ? first : weekdayOf(to);
    if (first === null || last === null || rest.length > 0) {
      throw scheduleError(
        "TRAWL_ERR_SCHEDULE_DAYS",
        `${field}: "${text}" is not a list of days (expected e.g. mon-fri, sat,sun or mon,wed,fri)`,
      );
    }
    for (let day = first; ; day = (day + 1) % 7) {
      days.add(day);
      if (day === last) break;
    }
  }
  return [...days].sort((a, b) => a - b);
}

function weekdayOf(name: string | undefined): number | null {
  const key = name?.trim().slice(0, 3) ?? "";
  const index = WEEKDAYS.indexOf(key as (typeof WEEKDAYS)[number]);
  // A full name must really be that day's name (`monkey` is not Monday).
  if (index === -1 || !FULL_NAMES[index]!.startsWith(name!.trim())) return null;
  return index;
}

const FULL_NAMES = ["sunday", "monday", "tuesday", "wednesday", "thursday", "friday", "saturday"];

/** Compact day list, Monday first: `mon-fri`, `sat,sun`, `mon,wed,fri`. */
export function formatDays(days: readonly number[]): string {
  const mondayFirst = (day: number) => (day + 6) % 7;
  const sorted = [...new Set(days)].sort((a, b) => mondayFirst(a) - mondayFirst(b));
  const runs: string[] = [];
  for (let i = 0; i < sorted.length;) {
    let j = i;
    while (j + 1 < sorted.length && mondayFirst(sorted[j + 1]!) === mondayFirst(sorted[j]!) + 1) j++;
    const [first, last] = [WEEKDAYS[sorted[i]!]!, WEEKDAYS[sorted[j]!]!];
    runs.push(
      j - i >= 2
        ? `${first}-${last}`
        : sorted
            .slice(i, j + 1)
            .map((d) => WEEKDAYS[d]!)
            .join(","),
    );
    i = j + 1;
  }
  return runs.join(",");
}

/** When a schedule may fire: local hours and days in its zone (absent = any). */
export interface Admission {
  zone: string;
  activeHours: ActiveHours | null;
  days: readonly number[] | null;
}

/** Whether `instant` falls inside the schedule's active hours and days. */
export function admits(admission: Admission, instant: number): boolean {
  if (!admission.activeHours && !admission.days) return true;
  const local = localWeekdayAndMinute(instant, admission.zone);
  if (admission.days && !admission.days.includes(local.weekday)) return false;
  return !admission.activeHours || insideWindow(admission.activeHours, local.minute);
}
