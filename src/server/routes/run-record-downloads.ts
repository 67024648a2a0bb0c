import { PassThrough, type Writable } from "node:stream";
import type { FastifyInstance } from "fastify";
import { Type } from "typebox";
import { finalStage, requireRun, type App } from "../../app/index.ts";
import { RecordQueryStringSchema, type RecordQueryString } from "../../core/contract/records.ts";
import { collectFields, writeRecords } from "../../datasets/index.ts";
import type { ExportFormat, ScrapedRecord } from "../../core/index.ts";
import type { RecordSelection, RecordStore } from "../../store/index.ts";
import { binaryResponse } from "./binary-response.ts";
import { selectionOf } from "./record-query-params.ts";
import { RunId } from "./run-id.ts";

const CONTENT_TYPES: Record<ExportFormat, string> = {
  jsonl: "application/x-ndjson; charset=utf-8",
  csv: "text/csv; charset=utf-8",
  json: "application/json; charset=utf-8",
};

/** Records read from the store a page at a time while a download is written. */
const BATCH = 1000;

const { sort, order, search, filter } = RecordQueryStringSchema.properties;
const DownloadQuery = Type.Object({
  stage: Type.Optional(
    Type.Integer({ minimum: 0, description: "a stage of the run (default: its final one)" }),
  ),
  sort,
  order,
  search,
  filter,
});

/**
 * A run's records as a file: `records.jsonl`, `records.csv`, `records.json` (the formats of
 * dataset exports, written by the same writers), of its final stage or `stage`, in the order and
 * with the search and filters of the query string. Streamed a page of records at a time, so a
 * million records take no more memory than a thousand. A bad query is a 400 before anything is
 * sent. CSV columns are every field of the selection in first-seen order (read in a first pass).
 */
export function runRecordDownloadRoutes(server: FastifyInstance, app: App): void {
  for (const format of Object.keys(CONTENT_TYPES) as ExportFormat[]) {
    server.get(
      `/runs/:id/records.${format}`,
      {
        schema: {
          summary: `A run's records as a ${format.toUpperCase()} download (sorted, searched, filtered as asked)`,
          tags: ["runs"],
          params: RunId,
          querystring: DownloadQuery,
          response: {
            200: binaryResponse(
              `The records as ${format.toUpperCase()}, streamed`,
              [CONTENT_TYPES[format].split(";")[0]!],
              { "content-disposition": `attachment; filename="RUN-…-records.${format}"` },
            ),
          },
        },
      },
      async (request, reply) => {
        const { id } = request.params as { id: string };
        const q = request.query as RecordQueryString & { stage?: number };
        await requireRun(app.store, id);
        const stage = q.stage ?? (await finalStage(app.store, id));
        const selection = selectionOf(q);
        // Checks fields and filters (a 400 now, rather than a broken download later).
        await app.store.records.query(id, stage, { ...selection, limit: 1 });
        const body = new PassThrough();
        void writeDownload(app.store.records, id, stage, selection, format, body).then(
          () => body.end(),
          (error: unknown) => body.destroy(error as Error),
        );
        return reply
          .header("content-type", CONTENT_TYPES[format])
          .header("content-disposition", `attachment; filename="${id}-records.${format}"`)
          .send(body);
      },
    );
  }
}

async function writeDownload(
  store: RecordStore,
  runId: string,
  stage: number,
  selection: RecordSelection,
  format: ExportFormat,
  out: Writable,
): Promise<void> {
  const records = {
    [Symbol.asyncIterator]: () => recordsOf(store, runId, stage, selection)[Symbol.asyncIterator](),
  };
  const fields = format === "csv" ? await collectFields(records) : undefined;
  await writeRecords(records, format, out, fields ? { fields } : {});
}

async function* recordsOf(
  store: RecordStore,
  runId: string,
  stage: number,
  selection: RecordSelection,
): AsyncGenerator<ScrapedRecord> {
  for await (const page of store.queryPages(runId, stage, selection, BATCH))
    for (const record of page) yield record.data as ScrapedRecord;
}
