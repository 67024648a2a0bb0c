import type { FastifyInstance } from "fastify";
import { Type } from "typebox";
import { requireRun, type App } from "../../app/index.ts";
import type { LogLevel } from "../../core/events.ts";
import { RunId } from "./run-id.ts";

/** A run's log: its lines, oldest first, followed by id. */
export function runLogRoutes(server: FastifyInstance, app: App): void {
  server.get(
    "/runs/:id/logs",
    {
      schema: {
        summary: "A run's log lines, oldest first; follow with `after` (the last id seen)",
        tags: ["runs"],
        params: RunId,
        querystring: Type.Object({
          level: Type.Optional(Type.Union(["debug", "info", "warn", "error"].map((l) => Type.Literal(l)))),
          after: Type.Optional(Type.Integer({ minimum: 0 })),
          limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 5000, default: 500 })),
        }),
      },
    },
    async (request) => {
      const { id } = request.params as { id: string };
      const q = request.query as { level?: LogLevel; after?: number; limit?: number };
      await requireRun(app.store, id);
      const logs = await app.store.logs.list(id, {
        ...(q.level && { level: q.level }),
        ...(q.after !== undefined && { afterId: q.after }),
        limit: q.limit ?? 500,
      });
      return { logs: logs.map((l) => ({ ...l, at: new Date(l.at).toISOString() })) };
    },
  );
}
