/** IANA time zones: checking a name, and reading an instant's local weekday and time of day. */
import { Cron } from "croner";
import { scheduleError } from "./errors.ts";

/** The zone of this machine (`TZ`, else the system's setting), as an IANA name. */
export function systemZone(): string {
  return Intl.DateTimeFormat().resolvedOptions().timeZone;
}

const formatters = new Map<string, Intl.DateTimeFormat>();

function formatter(zone: string): Intl.DateTimeFormat {
  let format = formatters.get(zone);
  if (!format) {
    format = new Intl.DateTimeFormat("en-US", {
      timeZone: zone,
      hourCycle: "h23",
      weekday: "short",
      hour: "2-digit",
      minute: "2-digit",
    });
    formatters.set(zone, format);
  }
  return format;
}

/** Returns `zone` when it names an IANA time zone; otherwise a usage error naming `field`. */
export function checkZone(zone: string, field = "--tz"): string {
  try {
    formatter(zone);
    return zone;
  } catch {
    throw scheduleError(
      "TRAWL_ERR_SCHEDULE_ZONE",
      `${field}: unknown time zone "${zone}" (expected an IANA name such as Europe/Berlin or UTC)`,
    );
  }
}

const WEEKDAY_INDEX: Record<string, number> = { Sun: 0, Mon: 1, Tue: 2, Wed: 3, Thu: 4, Fri: 5, Sat: 6 };

/** The local weekday (0 = Sunday) and minute of the day (0–1439) of `instant` in `zone`. */
export function localWeekdayAndMinute(instant: number, zone: string): { weekday: number; minute: number } {
  let weekday = 0;
  let hour = 0;
  let minute = 0;
  for (const part of formatter(zone).formatToParts(instant)) {
    if (part.type === "weekday") weekday = WEEKDAY_INDEX[part.value] ?? 0;
    else if (part.type === "hour") hour = Number(part.value);
    else if (part.type === "minute") minute = Number(part.value);
  }
  return { weekday, minute: hour * 60 + minute };
}

const LOCAL_TIME = /^(\d{4}-\d{2}-\d{2})[T ](\d{2}:\d{2}(?::\d{2})?)$/;
const WITH_OFFSET = /^\d{4}-\d{2}-\d{2}[T ]\d{2}:\d{2}(?::\d{2}(?:\.\d+)?)?(?:Z|[+-]\d{2}:?\d{2})$/i;

/**
 * An instant from `text`: ISO 8601 with `Z` or an offset is absolute; a local date and time
 * (`2026-11-23T09:00`, `2026-11-23 09:00`) is read in `zone` (a time in a spring-forward gap moves
 * forward by the gap). `field` names the option in errors.
 */
export function parseInstant(text: string, zone: string, field: string): number {
  const trimmed = text.trim();
  if (WITH_OFFSET.test(trimmed)) {
    const instant = Date.parse(trimmed.replace(" ", "T"));
    if (!Number.isNaN(instant)) return instant;
  }
  const local = LOCAL_TIME.exec(trimmed);
  if (local) {
    const time = local[2]!.length === 5 ? `${local[2]}:00` : local[2]!;
    try {
      const at = new Cron(`${local[1]}T${time}`, { timezone: zone, paused: true }).nextRun(new Date(0));
      if (at) return at.getTime();
    } catch {
      // Reported below with the accepted forms.
    }
  }
  throw scheduleError(
    "TRAWL_ERR_SCHEDULE_TIME",
    `${field}: "${text}" is not a date and time (expected 2026-11-23T09:00 in the schedule's zone, or ISO 8601 with Z or an offset)`,
  );
}
