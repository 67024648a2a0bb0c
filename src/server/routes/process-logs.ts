/**
 * The data directory's process logs and crash reports (docs/logs.md): `GET /api/logs` (the newest
 * matching lines, read from the files' ends), `GET /api/crashes` and `GET /api/crashes/:id`.
 */
import type { FastifyInstance } from "fastify";
import { Type } from "typebox";
import type { App } from "../../app/index.ts";
import {
  CrashListSchema,
  CrashReportSchema,
  ProcessLogLevelSchema,
  ProcessLogPageSchema,
  type CrashList,
  type CrashReport,
  type ProcessLogLevel,
  type ProcessLogPage,
} from "../../core/contract/logs.ts";
import { listCrashReports, observeError, readCrashReport, searchLogs } from "../../observe/index.ts";

interface LogQuery {
  level?: ProcessLogLevel;
  component?: string;
  run?: string;
  q?: string;
  limit?: number;
}

/** Registers the routes. */
export function processLogRoutes(server: FastifyInstance, app: App): void {
  server.get(
    "/logs",
    {
      schema: {
        summary:
          "The process logs' newest lines (every trawl process of this data directory), oldest first; filter by level, component, run and text",
        tags: ["health"],
        querystring: Type.Object({
          level: Type.Optional({ ...ProcessLogLevelSchema, description: "lines at or above this level" }),
          component: Type.Optional(Type.String({ maxLength: 64, description: "lines of this component" })),
          run: Type.Optional(Type.String({ maxLength: 64, description: "lines of this run" })),
          q: Type.Optional(Type.String({ maxLength: 200, description: "text in the message (any case)" })),
          limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 2000, default: 200 })),
        }),
        response: { 200: ProcessLogPageSchema },
      },
    },
    async (request): Promise<ProcessLogPage> => {
      const q = request.query as LogQuery;
      return searchLogs(app.paths.home, {
        ...(q.level && { level: q.level }),
        ...(q.component && { component: q.component }),
        ...(q.run && { runId: q.run }),
        ...(q.q && { text: q.q }),
        limit: q.limit ?? 200,
      });
    },
  );

  server.get(
    "/crashes",
    {
      schema: {
        summary: "Crash reports of this data directory's trawl processes, newest first (at most 50)",
        tags: ["health"],
        response: { 200: CrashListSchema },
      },
    },
    async (): Promise<CrashList> => ({ crashes: listCrashReports(app.paths.home) }),
  );

  server.get(
    "/crashes/:id",
    {
      schema: {
        summary: "One crash report: the stack, the version, the command, the runs, the last log lines",
        tags: ["health"],
        params: Type.Object({ id: Type.String({ maxLength: 80 }) }),
        response: { 200: CrashReportSchema },
      },
    },
    async (request): Promise<CrashReport> => {
      const { id } = request.params as { id: string };
      const report = readCrashReport(app.paths.home, id);
      if (!report) throw observeError("TRAWL_ERR_OBSERVE_CRASH_NOT_FOUND", { id });
      return report;
    },
  );
}
