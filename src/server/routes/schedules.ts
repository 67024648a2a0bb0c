import { resolve } from "node:path";
import type { FastifyInstance } from "fastify";
import { Type } from "typebox";
import { loadScraper, type App } from "../../app/index.ts";
import {
  NewScheduleSchema,
  RunNowSchema,
  ScheduleDetailSchema,
  ScheduleFieldsSchema,
  ScheduleHistorySchema,
  ScheduleListSchema,
  SchedulePreviewRequestSchema,
  SchedulePreviewSchema,
  SchedulerStatusSchema,
  ScheduleViewSchema,
} from "../../core/contract/schedules.ts";
import {
  editSchedule,
  newSchedule,
  Occurrences,
  parseInstant,
  pauseSchedule,
  requireSchedule,
  resumeSchedule,
  runScheduleNow,
  schedulerStatus,
  systemZone,
  timingFromFlags,
  BODY_NAMES,
  upcomingOf,
  viewOccurrence,
  viewSchedule,
  type PolicyFlags,
  type TimingFlags,
} from "../../scheduler/index.ts";

const ScheduleId = Type.Object({ id: Type.String({ description: "schedule id, SCH-XXXXXX" }) });

type Body = TimingFlags &
  Omit<PolicyFlags, "maxFailures" | "retries"> & { maxFailures?: number; retries?: number };

function policyFlags(body: Body): PolicyFlags {
  const { catchUp, grace, overlap, jitter } = body;
  return {
    ...(catchUp !== undefined && { catchUp }),
    ...(grace !== undefined && { grace }),
    ...(overlap !== undefined && { overlap }),
    ...(jitter !== undefined && { jitter }),
    ...(body.maxFailures !== undefined && { maxFailures: String(body.maxFailures) }),
    ...(body.retries !== undefined && { retries: String(body.retries) }),
  };
}

/** Schedules, as the `trawl schedule` commands manage them, plus the scheduler's status. */
export function scheduleRoutes(server: FastifyInstance, app: App, wakeScheduler: () => void): void {
  const view = async (id: string) => viewSchedule((await app.store.schedules.get(id))!, app.clock.now());

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

  server.post(
    "/schedules",
    {
      schema: {
        summary: "Schedule a definition file",
        tags: ["schedules"],
        body: NewScheduleSchema,
        response: { 201: ScheduleViewSchema },
      },
    },
    async (request, reply) => {
      const body = request.body as Body & { file: string };
      const now = app.clock.now();
      const timing = timingFromFlags(body, now, undefined, BODY_NAMES);
      const source = resolve(body.file);
      const scraper = await loadScraper(source);
      const created = await app.store.schedules.create(
        newSchedule({ name: scraper.name, source }, timing, policyFlags(body), now, BODY_NAMES),
        now,
      );
      wakeScheduler();
      reply.code(201);
      return viewSchedule(created, now);
    },
  );

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

  server.patch(
    "/schedules/:id",
    {
      schema: {
        summary: "Change a schedule's timing or policies (absent fields keep their value)",
        tags: ["schedules"],
        params: ScheduleId,
        body: ScheduleFieldsSchema,
        response: { 200: ScheduleViewSchema },
      },
    },
    async (request) => {
      const schedule = await requireSchedule(app.store.schedules, (request.params as { id: string }).id);
      const body = request.body as Body;
      const now = app.clock.now();
      const flags = { ...body, maxFailures: undefined, retries: undefined, ...policyFlags(body) };
      await editSchedule(app.store.schedules, schedule, flags, now, BODY_NAMES);
      wakeScheduler();
      return view(schedule.id);
    },
  );

  server.delete(
    "/schedules/:id",
    {
      schema: {
        summary: "Delete a schedule and its history (its runs stay)",
        tags: ["schedules"],
        params: ScheduleId,
        response: { 204: Type.Null({ description: "deleted" }) },
      },
    },
    async (request, reply) => {
      const schedule = await requireSchedule(app.store.schedules, (request.params as { id: string }).id);
      await app.store.schedules.remove(schedule.id);
      reply.code(204);
    },
  );

  server.post(
    "/schedules/:id/pause",
    {
      schema: {
        summary: "Stop firing a schedule until it is resumed",
        tags: ["schedules"],
        params: ScheduleId,
        body: Type.Optional(Type.Object({ reason: Type.Optional(Type.String()) })),
        response: { 200: ScheduleViewSchema },
      },
    },
    async (request) => {
      const schedule = await requireSchedule(app.store.schedules, (request.params as { id: string }).id);
      const reason = (request.body as { reason?: string } | undefined)?.reason ?? "paused by hand";
      await pauseSchedule(app.store.schedules, schedule.id, reason, app.clock.now());
      return view(schedule.id);
    },
  );

  server.post(
    "/schedules/:id/resume",
    {
      schema: {
        summary: "Fire a paused schedule again, from now on",
        tags: ["schedules"],
        params: ScheduleId,
        response: { 200: ScheduleViewSchema },
      },
    },
    async (request) => {
      const schedule = await requireSchedule(app.store.schedules, (request.params as { id: string }).id);
      await resumeSchedule(app.store.schedules, schedule.id, app.clock.now());
      wakeScheduler();
      return view(schedule.id);
    },
  );

  server.post(
    "/schedules/:id/run-now",
    {
      schema: {
        summary: "Run a schedule once now",
        tags: ["schedules"],
        params: ScheduleId,
        response: { 202: RunNowSchema },
      },
    },
    async (request, reply) => {
      const schedule = await requireSchedule(app.store.schedules, (request.params as { id: string }).id);
      const now = app.clock.now();
      await runScheduleNow(app.store.schedules, schedule.id, now);
      wakeScheduler();
      reply.code(202);
      return { schedule: schedule.id, due: new Date(now).toISOString() };
    },
  );

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
