/** A `Timing` from the timing flags that `schedule add`, `edit` and `preview` share. */
import { scheduleError } from "./errors.ts";
import { parseDuration } from "./duration.ts";
import { FLAG_NAMES, type FieldNames } from "./field-names.ts";
import { checkTiming, type Rhythm, type Timing } from "./timing.ts";
import { minuteOfDay, parseActiveHours, parseDays } from "./window.ts";
import { checkZone, parseInstant, systemZone } from "./zone.ts";

/** The timing flags, as typed. */
export interface TimingFlags {
  cron?: string;
  every?: string;
  at?: string;
  daily?: string;
  weekly?: string;
  manual?: boolean;
  tz?: string;
  activeHours?: string;
  days?: string;
}

const RHYTHM_FLAGS = ["cron", "every", "at", "daily", "weekly", "manual"] as const;

/** Whether any rhythm flag is given (an edit may change only the window or the zone). */
export function hasRhythmFlag(flags: TimingFlags): boolean {
  return RHYTHM_FLAGS.some((flag) => flags[flag] !== undefined && flags[flag] !== false);
}

/** What each rhythm flag takes, for the error that asks for one. */
const RHYTHM_VALUES: Record<(typeof RHYTHM_FLAGS)[number], string> = {
  cron: " EXPR",
  every: " DUR",
  at: " TIME",
  daily: " HH:MM",
  weekly: " DAYS@HH:MM",
  manual: "",
};

/**
 * Builds and checks the timing the flags describe. Exactly one rhythm flag is required unless
 * `base` is given (an edit: unset parts keep their value). Errors name the settings by `names`.
 */
export function timingFromFlags(
  flags: TimingFlags,
  now: number,
  base?: Timing,
  names: FieldNames = FLAG_NAMES,
): Timing {
  const given = RHYTHM_FLAGS.filter((flag) => flags[flag] !== undefined && flags[flag] !== false);
  if (given.length > 1) {
    throw scheduleError(
      "TRAWL_ERR_SCHEDULE_USAGE",
      `choose one of ${RHYTHM_FLAGS.map(names.of).join(", ")} (got ${given.map(names.of).join(", ")})`,
    );
  }
  if (given.length === 0 && !base) {
    throw scheduleError(
      "TRAWL_ERR_SCHEDULE_USAGE",
      `when should it run? Give one of ${RHYTHM_FLAGS.map((f) => `${names.of(f)}${RHYTHM_VALUES[f]}`).join(", ")}`,
    );
  }
  const zone = flags.tz !== undefined ? checkZone(flags.tz, names.of("tz")) : (base?.zone ?? systemZone());
  const rhythm = given.length === 1 ? rhythmFromFlags(flags, zone, now, names) : base!.rhythm;
  return checkTiming(
    {
      rhythm,
      zone,
      activeHours:
        flags.activeHours === undefined
          ? (base?.activeHours ?? null)
          : flags.activeHours === "" || flags.activeHours === "none"
            ? null
            : parseActiveHours(flags.activeHours, names.of("activeHours")),
      days:
        flags.days === undefined
          ? (base?.days ?? null)
          : flags.days === "" || flags.days === "none"
            ? null
            : parseDays(flags.days, names.of("days")),
    },
    now,
    names,
  );
}

function rhythmFromFlags(flags: TimingFlags, zone: string, now: number, names: FieldNames): Rhythm {
  if (flags.cron !== undefined) return { kind: "cron", cron: flags.cron.trim() };
  if (flags.every !== undefined) {
    const everyMs = parseDuration(flags.every, names.of("every"));
    if (everyMs < 1000) {
      throw scheduleError(
        "TRAWL_ERR_SCHEDULE_DURATION",
        `${names.of("every")}: "${flags.every}" is shorter than 1s`,
      );
    }
    // Aligned to the Unix epoch, so `every 15m` fires at :00, :15, :30 and :45 (UTC), not at
    // whatever second the schedule was created.
    return { kind: "interval", everyMs, anchor: now - (now % everyMs) };
  }
  if (flags.at !== undefined) return { kind: "once", at: parseInstant(flags.at, zone, names.of("at")) };
  if (flags.daily !== undefined) return { kind: "daily", minute: timeOfDay(flags.daily, names.of("daily")) };
  if (flags.weekly !== undefined) {
    const weekly = names.of("weekly");
    const [days, time, ...rest] = flags.weekly.split("@");
    if (days === undefined || time === undefined || rest.length > 0) {
      throw scheduleError(
        "TRAWL_ERR_SCHEDULE_USAGE",
        `${weekly}: "${flags.weekly}" is not DAYS@HH:MM (e.g. mon,thu@09:00 or mon-fri@06:30)`,
      );
    }
    return { kind: "weekly", days: parseDays(days, weekly), minute: timeOfDay(time, weekly) };
  }
  return { kind: "manual" };
}

function timeOfDay(text: string, field: string): number {
  const minute = minuteOfDay(text);
  if (minute === null) {
    throw scheduleError(
      "TRAWL_ERR_SCHEDULE_TIME",
      `${field}: "${text}" is not a time of day (expected HH:MM, 00:00-23:59)`,
    );
  }
  return minute;
}
