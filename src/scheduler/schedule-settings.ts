/** The policy flags of a schedule (catch-up, overlap, failures, retries, jitter) and their defaults. */
import { UsageError } from "../core/errors.ts";
import type { CatchUp, NewSchedule, Overlap, SchedulePatch } from "../store/index.ts";
import { parseDuration } from "./duration.ts";
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

export const DEFAULT_POLICY = {
  catchUp: "none" as CatchUp,
  graceMs: 3_600_000,
  overlap: "skip" as Overlap,
  maxFailures: 5,
  retries: 0,
  jitterMs: 0,
};

/** The policy fields the flags set (only those given). */
export function policyFromFlags(flags: PolicyFlags): SchedulePatch {
  const patch: SchedulePatch = {};
  if (flags.catchUp !== undefined)
    patch.catchUp = oneOf<CatchUp>(flags.catchUp, ["none", "latest"], "--catch-up");
  if (flags.grace !== undefined) patch.graceMs = parseDuration(flags.grace, "--grace");
  if (flags.overlap !== undefined)
    patch.overlap = oneOf<Overlap>(flags.overlap, ["skip", "queue"], "--overlap");
  if (flags.maxFailures !== undefined) patch.maxFailures = count(flags.maxFailures, "--max-failures", 1);
  if (flags.retries !== undefined) patch.retries = count(flags.retries, "--retries", 0);
  if (flags.jitter !== undefined)
    patch.jitterMs = flags.jitter === "0" ? 0 : parseDuration(flags.jitter, "--jitter");
  return patch;
}

/** A new schedule of the scraper at `source`: policy flags over the defaults; occurrences count from `now`. */
export function newSchedule(
  scraper: { name: string; source: string },
  timing: Timing,
  flags: PolicyFlags,
  now: number,
): NewSchedule {
  return {
    scraper: scraper.name,
    source: scraper.source,
    timing,
    ...DEFAULT_POLICY,
    ...policyFromFlags(flags),
    cursor: now,
  } as NewSchedule;
}

function oneOf<T extends string>(value: string, allowed: readonly T[], field: string): T {
  if ((allowed as readonly string[]).includes(value)) return value as T;
  throw new UsageError(
    "TRAWL_ERR_SCHEDULE_USAGE",
    `${field}: "${value}" is not one of ${allowed.join(", ")}`,
  );
}

function count(value: string, field: string, min: number): number {
  const n = Number(value);
  if (!Number.isInteger(n) || n < min) {
    throw new UsageError(
      "TRAWL_ERR_SCHEDULE_USAGE",
      `${field}: "${value}" is not a whole number of at least ${min}`,
    );
  }
  return n;
}
