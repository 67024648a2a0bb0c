import type { FastifyInstance } from "fastify";
import { Type } from "typebox";
import { compareRuns, runChanges, type App } from "../../app/index.ts";
import { RunChangesSchema, RunComparisonSchema } from "../../core/contract/compare.ts";
import { RunId } from "./run-id.ts";

/** Run comparison: two runs side by side with a record diff, and a run against its predecessor. */
export function compareRoutes(server: FastifyInstance, app: App): void {
  server.get(
    "/compare",
    {
      schema: {
        summary:
          "Two runs side by side and a record diff: by the record key (key:, else the dedupe key), else by position",
        tags: ["runs"],
        querystring: Type.Object({
          a: Type.String({ description: "the older run" }),
          b: Type.String({ description: "the newer run" }),
          key: Type.Optional(
            Type.String({
              description: "comma-separated fields identifying a record (default: the run's key)",
            }),
          ),
        }),
        response: { 200: RunComparisonSchema },
      },
    },
    async (request) => {
      const { a, b, key } = request.query as { a: string; b: string; key?: string };
      const fields = key
        ?.split(",")
        .map((f) => f.trim())
        .filter(Boolean);
      return compareRuns(app.store, a, b, fields);
    },
  );

  server.get(
    "/runs/:id/changes",
    {
      schema: {
        summary:
          "What changed since the previous succeeded run of the same scraper; a run that did not succeed says why instead",
        tags: ["runs"],
        params: RunId,
        response: { 200: RunChangesSchema },
      },
    },
    async (request) => runChanges(app.store, (request.params as { id: string }).id),
  );
}
