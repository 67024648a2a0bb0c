import type { FastifyInstance } from "fastify";
import { Type } from "typebox";
import { requireRun, type App } from "../../app/index.ts";
import { LogPageSchema, type LogLevel, type LogPage } from "../../core/contract/logs.ts";
import { RunId } from "./run-id.ts";

const LEVEL = "debug|info|warn|error";

/** A run's log: its lines, oldest first, followed by id, with the run's counts per level. */
export function runLogRoutes(server: FastifyInstance, app: App): void {
  server.get(
    "/runs/:id/logs",
    {
      schema: {
        summary:
          "A run's log lines, oldest first; follow with `after` (the last id seen). `counts`: the run's stored lines per level, whatever the filter",
        tags: ["runs"],
        params: RunId,
        querystring: Type.Object({
          level: Type.Optional(
            Type.Union(
              LEVEL.split("|").map((l) => Type.Literal(l)),
              {
                description: "lines at or above this level",
              },
            ),
          ),
          levels: Type.Optional(
            Type.String({
              pattern: `^(${LEVEL})(,(${LEVEL}))*$`,
              description: "lines of exactly these levels, comma-separated (wins over `level`)",
            }),
          ),
          after: Type.Optional(Type.Integer({ minimum: 0 })),
          limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 5000, default: 500 })),
        }),
        response: { 200: LogPageSchema },
      },
    },
    async (request): Promise<LogPage> => {
      const { id } = request.params as { id: string };
      const q = request.query as { level?: LogLevel; levels?: string; after?: number; limit?: number };
      await requireRun(app.store, id);
      const logs = await app.store.logs.list(id, {
        ...(q.level && { level: q.level }),
        ...(q.levels && { levels: q.levels.split(",") as LogLevel[] }),
        ...(q.after !== undefined && { afterId: q.after }),
        limit: q.limit ?? 500,
      });
      // After the lines: the counts then cover every line listed (a line stored in between is
      // counted and comes with the next page).
      const { counts, newestAt } = await app.store.logs.tally(id);
      return {
        logs: logs.map((l) => ({ ...l, at: new Date(l.at).toISOString() })),
        counts,
        newestAt: newestAt === null ? null : new Date(newestAt).toISOString(),
      };
    },
  );
}
