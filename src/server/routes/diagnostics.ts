/** `POST /api/diagnostics`: the diagnostics bundle as a zip download (docs/diagnostics.md). */
import { PassThrough } from "node:stream";
import type { FastifyInstance } from "fastify";
import { diagnosticsFileName, exportDiagnostics, type App } from "../../app/index.ts";
import { DiagnosticsQuerySchema, type DiagnosticsQuery } from "../../core/contract/diagnostics.ts";
import type { TrawlMetrics } from "../../observe/index.ts";
import { binaryResponse } from "./binary-response.ts";

/**
 * Registers the route. The zip streams as it is made; a POST, since each export is recorded in
 * the audit log (`diagnostics.exported`) and, with a PIN, needs the session's CSRF token.
 */
export function diagnosticsRoutes(
  server: FastifyInstance,
  app: App,
  metrics: TrawlMetrics | undefined,
  log: (message: string) => void,
): void {
  server.post(
    "/diagnostics",
    {
      schema: {
        summary:
          "A diagnostics bundle: a zip of system, configuration, logs, database, runs and more, secrets removed",
        tags: ["health"],
        querystring: DiagnosticsQuerySchema,
        response: {
          200: binaryResponse("The zip, streamed", ["application/zip"], {
            "content-disposition": 'attachment; filename="trawl-diagnostics-<time>.zip"',
          }),
        },
      },
    },
    async (request, reply) => {
      const { check } = request.query as DiagnosticsQuery;
      const name = diagnosticsFileName(app.clock.now());
      const zip = new PassThrough();
      void exportDiagnostics(app, zip, {
        destination: "download",
        integrityCheck: check ?? "full",
        ...(metrics && { metrics }),
      }).then(
        () => zip.end(),
        (error: unknown) => {
          log(`diagnostics bundle failed: ${String(error)}`);
          zip.destroy(error as Error);
        },
      );
      return reply
        .header("content-type", "application/zip")
        .header("content-disposition", `attachment; filename="${name}"`)
        .header("cache-control", "no-store")
        .send(zip);
    },
  );
}
