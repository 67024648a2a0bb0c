import type { FastifyInstance } from "fastify";
import { Type } from "typebox";
import { DatasetRecordSources, type App } from "../../app/index.ts";
import {
  DatasetRecordPageSchema,
  RecordQueryStringSchema,
  type DatasetRecordPage,
  type RecordQueryString,
} from "../../core/contract/records.ts";
import { assertDatasetName } from "../../datasets/index.ts";
import { pageView, selectionOf } from "./record-query-params.ts";

/**
 * A dataset version's records, queried like a run's (sort, search, filters, cursor; see
 * docs/api.md): through the run that published them while it holds them, else from the version's
 * own file (the first query of a version whose run is gone reads it into a record file once).
 */
export function datasetRecordRoutes(server: FastifyInstance, app: App): void {
  const sources = new DatasetRecordSources(app.store, app.paths, app.datasets);
  server.addHook("onClose", async () => sources.close());
  server.get(
    "/datasets/:name/versions/:version/records",
    {
      schema: {
        summary: "A dataset version's records: sorted, searched, filtered, paged by cursor",
        tags: ["datasets"],
        params: Type.Object({ name: Type.String(), version: Type.Integer({ minimum: 1 }) }),
        querystring: RecordQueryStringSchema,
        response: { 200: DatasetRecordPageSchema },
      },
    },
    async (request): Promise<DatasetRecordPage> => {
      const { name, version } = request.params as { name: string; version: number };
      const q = request.query as RecordQueryString;
      const source = await sources.open(assertDatasetName(name), version);
      const page = await source.records.query(source.runId, source.stage, {
        ...selectionOf(q),
        ...(q.cursor !== undefined && { cursor: q.cursor }),
        ...(q.offset !== undefined && { offset: q.offset }),
        limit: q.limit ?? 50,
      });
      const fields = [...source.manifest.fields];
      for (const record of page.records)
        for (const key of Object.keys(record.data as object)) if (!fields.includes(key)) fields.push(key);
      return { name, version, runId: source.manifest.runId, from: source.from, ...pageView(page, fields) };
    },
  );
}
