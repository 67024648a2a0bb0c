/** The scheduler's error catalogue: schedule timings and policies, and schedules that do not exist. */
import { defineErrors, errorFactory } from "../core/index.ts";

/**
 * Every code the scheduler raises, with its message shape, kind and HTTP status. `{field}` is the
 * flag or API field at fault (`--cron`, `cron`): the same check serves the CLI and the API.
 */
export const SCHEDULE_ERRORS = defineErrors({
  TRAWL_ERR_SCHEDULE_USAGE: { kind: "usage", message: '{field}: "{value}" is not one of {allowed}' },
  TRAWL_ERR_SCHEDULE_CRON: { kind: "usage", message: '{field}: "{cron}" is invalid: {problem}' },
  TRAWL_ERR_SCHEDULE_TIME: {
    kind: "usage",
    message: '{field}: "{value}" is not a date and time (or is in the past)',
  },
  TRAWL_ERR_SCHEDULE_NEVER: { kind: "usage", message: '{field}: "{rhythm}" can never fire' },
  TRAWL_ERR_SCHEDULE_ZONE: { kind: "usage", message: '{field}: unknown time zone "{zone}"' },
  TRAWL_ERR_SCHEDULE_WINDOW: {
    kind: "usage",
    message: '{field}: "{value}" is not a window (expected HH:MM-HH:MM)',
  },
  TRAWL_ERR_SCHEDULE_DAYS: {
    kind: "usage",
    message: '{field}: "{value}" is not a list of days (e.g. mon-fri)',
  },
  TRAWL_ERR_SCHEDULE_DURATION: {
    kind: "usage",
    message: '{field}: "{value}" is not a duration (e.g. 90s, 15m)',
  },
  TRAWL_ERR_SCHEDULE_NOT_FOUND: { kind: "not_found", message: "no schedule {id}" },
});

/** Makes an error of {@link SCHEDULE_ERRORS}. */
export const scheduleError = errorFactory(SCHEDULE_ERRORS);
