import type { FastifyInstance } from "fastify";
import { Type } from "typebox";
import type { App } from "../../app/index.ts";
import {
  ScheduleDetailSchema,
  ScheduleHistorySchema,
  ScheduleListSchema,
  SchedulePreviewRequestSchema,
  SchedulePreviewSchema,
  SchedulerStatusSchema,
} from "../../core/contract/schedules.ts";
import {
  BODY_NAMES,
  Occurrences,
  parseInstant,
  requireSchedule,
  schedulerStatus,
  systemZone,
  timingFromFlags,
  upcomingOf,
  viewOccurrence,
  viewSchedule,
  type TimingFlags,
} from "../../scheduler/index.ts";
import {
  createScheduleRoute,
  deleteScheduleRoute,
  editScheduleRoute,
  pauseScheduleRoute,
  resumeScheduleRoute,
  runScheduleNowRoute,
} from "./schedule-changes.ts";
import { ScheduleId } from "./schedule-id.ts";

/** Schedules, as the `trawl schedule` commands manage them, plus the scheduler's status. */
export function scheduleRoutes(
  server: FastifyInstance,
  app: App,
  folders: readonly string[],
  wakeScheduler: () => void,
): void {
  // In this order in the OpenAPI description.
  listSchedulesRoute(server, app);
  createScheduleRoute(server, app, folders, wakeScheduler);
  previewTimingRoute(server, app);
  showScheduleRoute(server, app);
  editScheduleRoute(server, app, wakeScheduler);
  deleteScheduleRoute(server, app);
  pauseScheduleRoute(server, app);
  resumeScheduleRoute(server, app, wakeScheduler);
  runScheduleNowRoute(server, app, wakeScheduler);
  scheduleHistoryRoute(server, app);
  schedulerStatusRoute(server, app);
}

/** GET /schedules: every schedule with its next occurrence. */
function listSchedulesRoute(server: FastifyInstance, app: App): void {
  server.get(
    "/schedules",
    {
      schema: {
        summary: "Every schedule with its next occurrence",
        tags: ["schedules"],
        response: { 200: ScheduleListSchema },
      },
    },
    async () => ({
      schedules: (await app.store.schedules.list()).map((s) => viewSchedule(s, app.clock.now())),
    }),
  );
}

/** POST /schedules/preview: the next occurrences of a timing, saving nothing. */
function previewTimingRoute(server: FastifyInstance, app: App): void {
  server.post(
    "/schedules/preview",
    {
      schema: {
        summary: "The next occurrences of a timing, without saving anything",
        tags: ["schedules"],
        body: SchedulePreviewRequestSchema,
        response: { 200: SchedulePreviewSchema },
      },
    },
    async (request) => {
      const body = request.body as TimingFlags & { from?: string; count?: number };
      const from =
        body.from === undefined ? app.clock.now() : parseInstant(body.from, body.tz ?? systemZone(), "from");
      const timing = timingFromFlags(body, from, undefined, BODY_NAMES);
      const next = new Occurrences(timing)
        .upcoming(from, body.count ?? 5)
        .map((at) => new Date(at).toISOString());
      return { zone: timing.zone, next };
    },
  );
}

/** GET /schedules/:id: a schedule, its next occurrences and its recent history. */
function showScheduleRoute(server: FastifyInstance, app: App): void {
  server.get(
    "/schedules/:id",
    {
      schema: {
        summary: "A schedule, its next 5 occurrences and its recent history",
        tags: ["schedules"],
        params: ScheduleId,
        response: { 200: ScheduleDetailSchema },
      },
    },
    async (request) => {
      const schedule = await requireSchedule(app.store.schedules, (request.params as { id: string }).id);
      const now = app.clock.now();
      const upcoming = upcomingOf(schedule, now, 5);
      const history = (await app.store.schedules.occurrences({ scheduleId: schedule.id, limit: 20 })).map(
        viewOccurrence,
      );
      return { ...viewSchedule(schedule, now), upcoming, history };
    },
  );
}

/** GET /schedules/:id/history: what each occurrence became. */
function scheduleHistoryRoute(server: FastifyInstance, app: App): void {
  server.get(
    "/schedules/:id/history",
    {
      schema: {
        summary: "What each occurrence became, newest first",
        tags: ["schedules"],
        params: ScheduleId,
        querystring: Type.Object({
          limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 1000, default: 50 })),
        }),
        response: { 200: ScheduleHistorySchema },
      },
    },
    async (request) => {
      const schedule = await requireSchedule(app.store.schedules, (request.params as { id: string }).id);
      const { limit } = request.query as { limit?: number };
      return {
        history: (await app.store.schedules.occurrences({ scheduleId: schedule.id, limit: limit ?? 50 })).map(
          viewOccurrence,
        ),
      };
    },
  );
}

/** GET /scheduler: live scheduler processes and which one leads. */
function schedulerStatusRoute(server: FastifyInstance, app: App): void {
  server.get(
    "/scheduler",
    {
      schema: {
        summary: "Live scheduler processes and which one leads",
        tags: ["schedules"],
        response: { 200: SchedulerStatusSchema },
      },
    },
    async () => {
      const schedulers = await schedulerStatus(app.store.schedules, app.clock.now());
      return { running: schedulers.length > 0, schedulers };
    },
  );
}
