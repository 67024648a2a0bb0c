import type { FastifyInstance } from "fastify";
import { Type } from "typebox";
import { compareRuns, previousRun, type App } from "../../app/index.ts";

/** Run comparison: two runs side by side with a record diff, and a run against its predecessor. */
export function compareRoutes(server: FastifyInstance, app: App): void {
  server.get(
    "/compare",
    {
      schema: {
        summary: "Two runs side by side and a record diff keyed by the dedupe key",
        tags: ["runs"],
        querystring: Type.Object({
          a: Type.String({ description: "the older run" }),
          b: Type.String({ description: "the newer run" }),
          key: Type.Optional(
            Type.String({ description: "comma-separated identity fields (default: the dedupe key)" }),
          ),
        }),
      },
    },
    async (request) => {
      const { a, b, key } = request.query as { a: string; b: string; key?: string };
      return compareRuns(
        app.store,
        a,
        b,
        key
          ?.split(",")
          .map((f) => f.trim())
          .filter(Boolean),
      );
    },
  );

  server.get(
    "/runs/:id/changes",
    {
      schema: {
        summary: "What changed since the previous run of the same scraper",
        tags: ["runs"],
        params: Type.Object({ id: Type.String() }),
      },
    },
    async (request) => {
      const { id } = request.params as { id: string };
      const previous = await previousRun(app.store, id);
      if (!previous) return { previous: null };
      return { previous: previous.id, ...(await compareRuns(app.store, previous.id, id)) };
    },
  );
}
