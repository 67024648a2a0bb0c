/**
 * Schedules as the API serves them (and `trawl schedule … --json` prints them), and the fields
 * the API takes to create, edit and preview one: TypeBox schemas used by the routes and, as
 * types, by the web app.
 */
import { Type, type Static } from "typebox";
import { Instant, Nullable } from "./shared.ts";

const optionalString = (description: string) => Type.Optional(Type.String({ description }));

/** The timing fields, named like the CLI's flags (`activeHours` for `--active-hours`). */
export const TimingFieldsSchema = Type.Object({
  cron: optionalString("cron expression, 5 fields or 6 with seconds first"),
  every: optionalString("interval of elapsed time: 90s, 15m, 1h30m"),
  at: optionalString("once: 2026-11-23T09:00 (in tz) or ISO 8601 with Z or an offset"),
  daily: optionalString("HH:MM"),
  weekly: optionalString("DAYS@HH:MM, e.g. mon,thu@09:00"),
  manual: Type.Optional(Type.Boolean()),
  tz: optionalString("IANA time zone"),
  activeHours: optionalString("HH:MM-HH:MM, or none"),
  days: optionalString("mon-fri, sat,sun, … or none"),
});
export type TimingFields = Static<typeof TimingFieldsSchema>;

/** The policy fields; absent ones get the defaults of SCHEDULE_DEFAULTS (schedule-defaults.ts). */
export const PolicyFieldsSchema = Type.Object({
  catchUp: Type.Optional(Type.Enum(["none", "latest"])),
  grace: optionalString("duration"),
  overlap: Type.Optional(Type.Enum(["skip", "queue"])),
  maxFailures: Type.Optional(Type.Integer({ minimum: 1 })),
  retries: Type.Optional(Type.Integer({ minimum: 0 })),
  jitter: optionalString("duration"),
});

/** The body of PATCH /api/schedules/:id (absent fields keep their value). */
export const ScheduleFieldsSchema = Type.Object({
  ...TimingFieldsSchema.properties,
  ...PolicyFieldsSchema.properties,
});
export type ScheduleFields = Static<typeof ScheduleFieldsSchema>;

/** The body of POST /api/schedules. */
export const NewScheduleSchema = Type.Object({
  file: Type.String({ description: "path of a .yaml/.yml/.ts/.js definition" }),
  ...ScheduleFieldsSchema.properties,
});

export type NewSchedule = Static<typeof NewScheduleSchema>;

/** The body of POST /api/schedules/preview. */
export const SchedulePreviewRequestSchema = Type.Object({
  ...TimingFieldsSchema.properties,
  from: optionalString("start after this instant instead of now"),
  count: Type.Optional(Type.Integer({ minimum: 1, maximum: 100, default: 5 })),
});

/** A schedule's next occurrences in its zone. */
export const SchedulePreviewSchema = Type.Object({ zone: Type.String(), next: Type.Array(Instant) });
export type SchedulePreview = Static<typeof SchedulePreviewSchema>;

/** A schedule as listed and shown. */
export const ScheduleViewSchema = Type.Object({
  id: Type.String({ description: "SCH-XXXXXX" }),
  scraper: Type.String(),
  source: Type.String(),
  kind: Type.Enum(["cron", "interval", "once", "daily", "weekly", "manual"]),
  /** The rhythm as it would be typed: `30 2 * * *`, `every 15m`, `daily 06:30`, … */
  when: Type.String(),
  zone: Type.String(),
  activeHours: Nullable(Type.String()),
  days: Nullable(Type.String()),
  catchUp: Type.Enum(["none", "latest"]),
  grace: Type.String(),
  overlap: Type.Enum(["skip", "queue"]),
  maxFailures: Type.Integer(),
  retries: Type.Integer(),
  jitter: Nullable(Type.String()),
  status: Type.Enum(["active", "paused"]),
  pausedReason: Nullable(Type.String()),
  failuresInARow: Type.Integer(),
  /** The next occurrence, or null (paused, manual, or nothing left). */
  next: Nullable(Instant),
  createdAt: Instant,
});
export type ScheduleView = Static<typeof ScheduleViewSchema>;

/** What one occurrence (or retry attempt) of a schedule became. */
export const OccurrenceViewSchema = Type.Object({
  schedule: Type.String(),
  due: Instant,
  attempt: Type.Integer(),
  kind: Type.Enum(["scheduled", "manual", "retry"]),
  status: Type.Enum(["waiting", "running", "succeeded", "failed", "skipped", "stopped", "interrupted"]),
  reason: Nullable(Type.String()),
  run: Nullable(Type.String()),
  startedAt: Nullable(Instant),
  finishedAt: Nullable(Instant),
  durationMs: Nullable(Type.Number()),
});
export type OccurrenceView = Static<typeof OccurrenceViewSchema>;

export const ScheduleListSchema = Type.Object({ schedules: Type.Array(ScheduleViewSchema) });
export type ScheduleList = Static<typeof ScheduleListSchema>;

/** A schedule with its next occurrences and recent history. */
export const ScheduleDetailSchema = Type.Object({
  ...ScheduleViewSchema.properties,
  upcoming: Type.Array(Instant),
  history: Type.Array(OccurrenceViewSchema),
});
export type ScheduleDetail = Static<typeof ScheduleDetailSchema>;

export const ScheduleHistorySchema = Type.Object({ history: Type.Array(OccurrenceViewSchema) });
export type ScheduleHistory = Static<typeof ScheduleHistorySchema>;

/** A manual occurrence was queued; the scheduler starts it (see the schedule's history). */
export const RunNowSchema = Type.Object({ schedule: Type.String(), due: Instant });
export type RunNow = Static<typeof RunNowSchema>;

/** A live scheduler process. */
export const SchedulerInstanceSchema = Type.Object({
  pid: Type.Integer(),
  host: Type.String(),
  leader: Type.Boolean(),
  startedAt: Instant,
  lastCheck: Nullable(Instant),
  schedulesChecked: Type.Integer(),
  runsStarted: Type.Integer(),
  nextDue: Nullable(Instant),
});
export type SchedulerInstance = Static<typeof SchedulerInstanceSchema>;

/** Every live scheduler, and which one leads. */
export const SchedulerStatusSchema = Type.Object({
  running: Type.Boolean(),
  schedulers: Type.Array(SchedulerInstanceSchema),
});
export type SchedulerStatus = Static<typeof SchedulerStatusSchema>;
