import { PassThrough } from "node:stream";
import type { FastifyInstance } from "fastify";
import { Type } from "typebox";
import type { App } from "../../app/index.ts";
import {
  DatasetListSchema,
  VerifyResultSchema,
  type DatasetList,
  type VerifyResult,
} from "../../core/contract/datasets.ts";
import {
  assertDatasetName,
  assertExportFormat,
  versionSummary,
  type DatasetLibrary,
} from "../../datasets/index.ts";
import { binaryResponse } from "./binary-response.ts";

const CONTENT_TYPES: Record<string, string> = {
  jsonl: "application/x-ndjson; charset=utf-8",
  csv: "text/csv; charset=utf-8",
  json: "application/json; charset=utf-8",
};

const MEDIA_TYPES = Object.values(CONTENT_TYPES).map((type) => type.split(";")[0]!);

/** Datasets: versions with their manifests, verification, and downloads in each export format. */
export function datasetRoutes(server: FastifyInstance, app: App): void {
  listDatasetsRoute(server, app.datasets);
  verifyDatasetRoute(server, app.datasets);
  downloadVersionRoute(server, app.datasets);
}

/** GET /datasets: every dataset with its versions and their manifests. */
function listDatasetsRoute(server: FastifyInstance, datasets: DatasetLibrary): void {
  server.get(
    "/datasets",
    {
      schema: {
        summary: "Datasets with their versions and manifests",
        tags: ["datasets"],
        response: { 200: DatasetListSchema },
      },
    },
    async (): Promise<DatasetList> => ({
      datasets: (await datasets.catalog()).map(({ name, current, manifests }) => ({
        name,
        latest: current,
        versions: manifests.map((manifest) => ({
          ...versionSummary(manifest),
          fields: manifest.fields,
          files: manifest.files.map((file) => ({ name: file.path, bytes: file.bytes, sha256: file.sha256 })),
        })),
      })),
    }),
  );
}

/** POST /datasets/:name/verify: checks a version's files against its manifest. */
function verifyDatasetRoute(server: FastifyInstance, datasets: DatasetLibrary): void {
  const NameVersion = Type.Object({ name: Type.String() });
  server.post(
    "/datasets/:name/verify",
    {
      schema: {
        summary: "Check a version's files against its manifest (default: the current version)",
        tags: ["datasets"],
        params: NameVersion,
        querystring: Type.Object({ version: Type.Optional(Type.Integer({ minimum: 1 })) }),
        response: { 200: VerifyResultSchema },
      },
    },
    async (request): Promise<VerifyResult> => {
      const { name } = request.params as { name: string };
      const { version } = request.query as { version?: number };
      return datasets.verify(assertDatasetName(name), version);
    },
  );
}

/** GET /datasets/:name/versions/:version/download: a version's records as a file. */
function downloadVersionRoute(server: FastifyInstance, datasets: DatasetLibrary): void {
  server.get(
    "/datasets/:name/versions/:version/download",
    {
      schema: {
        summary: "A version's records as a file: jsonl, csv or json",
        tags: ["datasets"],
        params: Type.Object({ name: Type.String(), version: Type.Integer({ minimum: 1 }) }),
        querystring: Type.Object({ format: Type.Optional(Type.String({ default: "jsonl" })) }),
        response: {
          200: binaryResponse("The version's records in the format asked for, streamed", MEDIA_TYPES, {
            "content-disposition": 'attachment; filename="NAME-vVERSION.FORMAT"',
          }),
        },
      },
    },
    async (request, reply) => {
      const { name, version } = request.params as { name: string; version: number };
      const format = assertExportFormat((request.query as { format?: string }).format ?? "jsonl");
      // Fails with 404 before anything is sent when the version does not exist.
      await datasets.manifest(assertDatasetName(name), version);
      const body = new PassThrough();
      void datasets.export(name, format, body, { version }).then(
        () => body.end(),
        (error: unknown) => body.destroy(error as Error),
      );
      return reply
        .header("content-type", CONTENT_TYPES[format])
        .header("content-disposition", `attachment; filename="${name}-v${version}.${format}"`)
        .send(body);
    },
  );
}
