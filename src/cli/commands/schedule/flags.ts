/** The flags of `trawl schedule add`, `edit` and `preview`: when a schedule fires, and its policies. */
import type { Command } from "commander";
import { SCHEDULE_DEFAULTS } from "../../../core/contract/schedule-defaults.ts";
import { systemZone, type PolicyFlags, type TimingFlags } from "../../../scheduler/index.ts";
import type { GlobalOptions } from "../../context.ts";

/** Every flag of a command that defines a schedule. */
export type ScheduleFlags = GlobalOptions & TimingFlags & PolicyFlags;

/** The flags that say when a schedule fires. */
export function timingOptions(command: Command): Command {
  return command
    .option("--cron <expr>", 'cron expression, 5 fields or 6 with seconds first (e.g. "30 6 * * 1-5")')
    .option("--every <duration>", "an interval of elapsed time: 90s, 15m, 1h30m, 2d")
    .option("--at <time>", "once, at 2026-11-23T09:00 (in --tz) or an ISO instant with Z or an offset")
    .option("--daily <HH:MM>", "every day at this local time")
    .option("--weekly <DAYS@HH:MM>", "on these days at this local time, e.g. mon,thu@09:00")
    .option("--manual", "only when asked (schedule run-now)")
    .option("--tz <zone>", `IANA time zone (default: this machine's, ${systemZone()})`)
    .option(
      "--active-hours <HH:MM-HH:MM>",
      "fire only inside this daily window (end exclusive; none to clear)",
    )
    .option("--days <days>", "fire only on these days, e.g. mon-fri or sat,sun (none to clear)");
}

/** The flags of a schedule's policies. */
export function policyOptions(command: Command): Command {
  return command
    .option(
      "--catch-up <policy>",
      `missed occurrences: none (skip them) or latest (run once if recent) (default ${SCHEDULE_DEFAULTS.catchUp})`,
    )
    .option(
      "--grace <duration>",
      `with catch-up latest: how late a missed run may still start (default ${SCHEDULE_DEFAULTS.grace})`,
    )
    .option(
      "--overlap <policy>",
      `while the previous run is active: skip or queue (default ${SCHEDULE_DEFAULTS.overlap})`,
    )
    .option(
      "--max-failures <n>",
      `pause the schedule after this many failures in a row (default ${SCHEDULE_DEFAULTS.maxFailures})`,
    )
    .option(
      "--retries <n>",
      `retry a failed occurrence this many times, backing off from 1 min (default ${SCHEDULE_DEFAULTS.retries})`,
    )
    .option(
      "--jitter <duration>",
      `start up to this much later, at random (spreads load) (default ${SCHEDULE_DEFAULTS.jitter})`,
    );
}
