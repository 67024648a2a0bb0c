/** The schedule routes that change schedules; each wakes the scheduler of this process when it should look again. */
import type { FastifyInstance } from "fastify";
import { Type } from "typebox";
import { loadScraper, type App } from "../../app/index.ts";
import {
  NewScheduleSchema,
  RunNowSchema,
  ScheduleFieldsSchema,
  ScheduleViewSchema,
} from "../../core/contract/schedules.ts";
import {
  BODY_NAMES,
  editSchedule,
  newSchedule,
  pauseSchedule,
  requireSchedule,
  resumeSchedule,
  runScheduleNow,
  timingFromFlags,
  viewSchedule,
  type PolicyFlags,
  type TimingFlags,
} from "../../scheduler/index.ts";
import { definitionInFolders } from "../scraper-folders.ts";
import { ScheduleId } from "./schedule-id.ts";

/** A request body's timing and policy fields: the API takes numbers where the flags take text. */
type Body = TimingFlags &
  Omit<PolicyFlags, "maxFailures" | "retries"> & { maxFailures?: number; retries?: number };

/** The policy fields of a body as the scheduler reads flags (only those given). */
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

/** A stored schedule as the API shows it. */
async function viewStored(app: App, id: string) {
  return viewSchedule((await app.store.schedules.get(id))!, app.clock.now());
}

/** POST /schedules: schedules a definition file. */
export function createScheduleRoute(
  server: FastifyInstance,
  app: App,
  folders: readonly string[],
  wakeScheduler: () => void,
): void {
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
      const source = definitionInFolders(body.file, folders);
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
}

/** PATCH /schedules/:id: changes a schedule's timing or policies. */
export function editScheduleRoute(server: FastifyInstance, app: App, wakeScheduler: () => void): void {
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
      return viewStored(app, schedule.id);
    },
  );
}

/** DELETE /schedules/:id: deletes a schedule and its history. */
export function deleteScheduleRoute(server: FastifyInstance, app: App): void {
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
}

/** POST /schedules/:id/pause: stops firing a schedule until it is resumed. */
export function pauseScheduleRoute(server: FastifyInstance, app: App): void {
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
      return viewStored(app, schedule.id);
    },
  );
}

/** POST /schedules/:id/resume: fires a paused schedule again, from now on. */
export function resumeScheduleRoute(server: FastifyInstance, app: App, wakeScheduler: () => void): void {
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
      return viewStored(app, schedule.id);
    },
  );
}

/** POST /schedules/:id/run-now: queues one run of a schedule now. */
export function runScheduleNowRoute(server: FastifyInstance, app: App, wakeScheduler: () => void): void {
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
}
