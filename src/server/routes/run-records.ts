import type { FastifyInstance } from "fastify";
import { Type } from "typebox";
import { finalStage, requireRun, type App } from "../../app/index.ts";
import {
  RecordQueryStringSchema,
  RunRecordPageSchema,
  type RecordQueryString,
  type RunRecordPage,
} from "../../core/contract/records.ts";
import { fieldsOf, pageView, selectionOf } from "./record-query-params.ts";
import { runRecordDownloadRoutes } from "./run-record-downloads.ts";
import { RunId } from "./run-id.ts";

/** The record query string, with the stage to read (default: the run's final one). */
export const RunRecordQuery = Type.Object({
  stage: Type.Optional(
    Type.Integer({ minimum: 0, description: "a stage of the run (default: its final one)" }),
  ),
  ...RecordQueryStringSchema.properties,
});

/**
 * A run's records: its final stage (or any stage), sorted, searched and filtered over all of them,
 * paged by cursor; and the same as downloads (see run-record-downloads.ts).
 */
export function runRecordRoutes(server: FastifyInstance, app: App): void {
  server.get(
    "/runs/:id/records",
    {
      schema: {
        summary: "A run's records (its final stage, or `stage`): sorted, searched, filtered, paged by cursor",
        tags: ["runs"],
        params: RunId,
        querystring: RunRecordQuery,
        response: { 200: RunRecordPageSchema },
      },
    },
    async (request): Promise<RunRecordPage> => {
      const { id } = request.params as { id: string };
      const q = request.query as RecordQueryString & { stage?: number };
      await requireRun(app.store, id);
      const stage = q.stage ?? (await finalStage(app.store, id));
      const page = await app.store.records.query(id, stage, {
        ...selectionOf(q),
        ...(q.cursor !== undefined && { cursor: q.cursor }),
        ...(q.offset !== undefined && { offset: q.offset }),
        limit: q.limit ?? 50,
      });
      return { stage, ...pageView(page, await fieldsOf(app.store.records, id, stage, page)) };
    },
  );
  runRecordDownloadRoutes(server, app);
}
