/**
 * The policies a schedule gets when they are not given (`trawl schedule add`, POST
 * /api/schedules), spelled as they are typed. The scheduler saves these and the web app shows
 * them as the form's placeholders, so what the form suggests is what gets saved.
 *
 * Plain data, apart from the TypeBox contract files: the web app imports it as a value, and a
 * value import of a schema file would bundle TypeBox into the app.
 */
export const SCHEDULE_DEFAULTS = {
  /** Occurrences missed while no scheduler ran are skipped. */
  catchUp: "none",
  /** With catch-up `latest`: how late a missed occurrence may still start. */
  grace: "1h",
  /** While the previous run is active, a new occurrence is skipped. */
  overlap: "skip",
  /** The schedule pauses after this many failures in a row. */
  maxFailures: 5,
  /** A failed occurrence is not retried. */
  retries: 0,
  /** Occurrences start on time ("0": no random delay). */
  jitter: "0",
} as const;

/** The type of {@link SCHEDULE_DEFAULTS}. */
export type ScheduleDefaults = typeof SCHEDULE_DEFAULTS;
