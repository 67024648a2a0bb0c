/**
 * How errors name a schedule setting: the CLI names its flags (`--active-hours`), the API the
 * fields of its JSON body (`activeHours`). The parsers take a `FieldNames` so one message serves both.
 */

/** The settings of a schedule, by their body field names. */
export type ScheduleField =
  | "cron"
  | "every"
  | "at"
  | "daily"
  | "weekly"
  | "manual"
  | "tz"
  | "activeHours"
  | "days"
  | "catchUp"
  | "grace"
  | "overlap"
  | "maxFailures"
  | "retries"
  | "jitter"
  | "from";

/** Names settings in messages. */
export interface FieldNames {
  /** A setting's name as the user typed it. */
  of(field: ScheduleField): string;
  /** What the settings are called: "flag" or "field". */
  noun: string;
}

/** `--active-hours`: the command line's flags. */
export const FLAG_NAMES: FieldNames = {
  of: (field) => `--${field.replace(/[A-Z]/g, (letter) => `-${letter.toLowerCase()}`)}`,
  noun: "flag",
};

/** `activeHours`: the API's body fields. */
export const BODY_NAMES: FieldNames = { of: (field) => field, noun: "field" };
