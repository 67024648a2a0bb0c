/** The policy flags of a schedule (catch-up, overlap, failures, retries, jitter) and their defaults. */
import { SCHEDULE_DEFAULTS } from "../core/contract/schedule-defaults.ts";
import { scheduleError } from "./errors.ts";
import type { CatchUp, NewSchedule, Overlap, SchedulePatch } from "../store/index.ts";
import { parseDuration } from "./duration.ts";
import { FLAG_NAMES, type FieldNames } from "./field-names.ts";
import type { Timing } from "./timing.ts";

/** The policy flags, as typed. */
export interface PolicyFlags {
  catchUp?: string;
  grace?: string;
  overlap?: string;
  maxFailures?: string;
  retries?: string;
  jitter?: string;
}

/** The stored policy of a schedule whose flags are not given: {@link SCHEDULE_DEFAULTS}, parsed. */
export const DEFAULT_POLICY = {
  catchUp: SCHEDULE_DEFAULTS.catchUp as CatchUp,
  graceMs: parseDuration(SCHEDULE_DEFAULTS.grace, "grace"),
  overlap: SCHEDULE_DEFAULTS.overlap as Overlap,
  maxFailures: SCHEDULE_DEFAULTS.maxFailures as number,
  retries: SCHEDULE_DEFAULTS.retries as number,
  jitterMs: policyFromFlags({ jitter: SCHEDULE_DEFAULTS.jitter }).jitterMs!,
};

/** The policy fields the flags set (only those given); errors name the settings by `names`. */
export function policyFromFlags(flags: PolicyFlags, names: FieldNames = FLAG_NAMES): SchedulePatch {
  const patch: SchedulePatch = {};
  if (flags.catchUp !== undefined)
    patch.catchUp = oneOf<CatchUp>(flags.catchUp, ["none", "latest"], names.of("catchUp"));
  if (flags.grace !== undefined) patch.graceMs = parseDuration(flags.grace, names.of("grace"));
  if (flags.overlap !== undefined)
    patch.overlap = oneOf<Overlap>(flags.overlap, ["skip", "queue"], names.of("overlap"));
  if (flags.maxFailures !== undefined)
    patch.maxFailures = count(flags.maxFailures, names.of("maxFailures"), 1);
  if (flags.retries !== undefined) patch.retries = count(flags.retries, names.of("retries"), 0);
  if (flags.jitter !== undefined)
    patch.jitterMs = flags.jitter === "0" ? 0 : parseDuration(flags.jitter, names.of("jitter"));
  return patch;
}

/** A new schedule of the scraper at `source`: policy flags over the defaults; occurrences count from `now`. */
export function newSchedule(
  scraper: { name: string; source: string },
  timing: Timing,
  flags: PolicyFlags,
  now: number,
  names: FieldNames = FLAG_NAMES,
): NewSchedule {
  return {
    scraper: scraper.name,
    source: scraper.source,
    timing,
    ...DEFAULT_POLICY,
    ...policyFromFlags(flags, names),
    cursor: now,
  } as NewSchedule;
}

function oneOf<T extends string>(value: string, allowed: readonly T[], field: string): T {
  if ((allowed as readonly string[]).includes(value)) return value as T;
  throw scheduleError("TRAWL_ERR_SCHEDULE_USAGE", `${field}: "${value}" is not one of ${allowed.join(", ")}`);
}

function count(value: string, field: string, min: number): number {
  const n = Number(value);
  if (!Number.isInteger(n) || n < min) {
    throw scheduleError(
      "TRAWL_ERR_SCHEDULE_USAGE",
      `${field}: "${value}" is not a whole number of at least ${min}`,
    );
  }
  return n;
}
