import { PassThrough, type Writable } from "node:stream";
import type { FastifyInstance } from "fastify";
import type { App } from "../../app/index.ts";
import { writeHar, openRecording, type ExportResult, type Recording, writeWarc } from "../../replay/index.ts";
import { binaryResponse } from "./binary-response.ts";
import { RunId } from "./run-id.ts";

const FORMATS = {
  warc: { contentType: "application/warc", write: (r: Recording, out: Writable) => writeWarc(r, out) },
  har: { contentType: "application/json; charset=utf-8", write: writeHar },
} satisfies Record<
  string,
  { contentType: string; write(r: Recording, out: Writable): Promise<ExportResult> }
>;

/**
 * A recorded run's captures as a download: `recording.warc` (WARC 1.1) and `recording.har`
 * (HAR 1.2). A missing run is 404 `TRAWL_ERR_ENGINE_RUN_NOT_FOUND`, a run that recorded nothing
 * 404 `TRAWL_ERR_REPLAY_NO_RECORDING`, both before anything is sent.
 */
export function recordingExportRoutes(server: FastifyInstance, app: App): void {
  for (const [format, { contentType, write }] of Object.entries(FORMATS)) {
    server.get(
      `/runs/:id/recording.${format}`,
      {
        schema: {
          summary: `A recorded run's captures as a ${format === "warc" ? "WARC 1.1" : "HAR 1.2"} file`,
          tags: ["runs"],
          params: RunId,
          response: {
            200: binaryResponse(`The ${format.toUpperCase()} file, streamed`, [contentType.split(";")[0]!], {
              "content-disposition": `attachment; filename="<run id>.${format}"`,
            }),
          },
        },
      },
      async (request, reply) => {
        const { id } = request.params as { id: string };
        const recording = await openRecording(app.store, app.paths.blobs, id);
        const body = new PassThrough();
        void write(recording, body).then(
          () => body.end(),
          (error: unknown) => body.destroy(error as Error),
        );
        return reply
          .header("content-type", contentType)
          .header("content-disposition", `attachment; filename="${id}.${format}"`)
          .send(body);
      },
    );
  }
}
