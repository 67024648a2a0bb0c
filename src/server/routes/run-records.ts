import type { FastifyInstance } from "fastify";
import { Type } from "typebox";
import { finalStage, requireRun, type App } from "../../app/index.ts";
import { RunId } from "./run-id.ts";

/** A run's records: its final stage (or any stage), paged. */
export function runRecordRoutes(server: FastifyInstance, app: App): void {
  server.get(
    "/runs/:id/records",
    {
      schema: {
        summary: "A run's records (its final stage, or `stage`), paged",
        tags: ["runs"],
        params: RunId,
        querystring: Type.Object({
          stage: Type.Optional(Type.Integer({ minimum: 0 })),
          offset: Type.Optional(Type.Integer({ minimum: 0, default: 0 })),
          limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 1000, default: 100 })),
        }),
      },
    },
    async (request) => {
      const { id } = request.params as { id: string };
      const q = request.query as { stage?: number; offset?: number; limit?: number };
      await requireRun(app.store, id);
      const stage = q.stage ?? (await finalStage(app.store, id));
      const offset = q.offset ?? 0;
      const limit = q.limit ?? 100;
      const records: unknown[] = [];
      let index = 0;
      for await (const record of app.store.records.read(id, stage)) {
        if (index++ < offset) continue;
        records.push(record);
        if (records.length >= limit) break;
      }
      return { stage, offset, total: await app.store.records.count(id, stage), records };
    },
  );
}
