/** Datasets as the API serves them (GET /api/datasets, verify): schemas for routes and app alike. */
import { Type, type Static } from "typebox";
import { Instant, Nullable } from "./shared.ts";

/** One published version with its manifest's facts. */
export const DatasetVersionSchema = Type.Object({
  version: Type.Integer({ minimum: 1 }),
  records: Type.Integer(),
  createdAt: Instant,
  runId: Type.String(),
  scraper: Type.String(),
  /** Field names in first-seen order. */
  fields: Type.Array(Type.String()),
  files: Type.Array(Type.Object({ name: Type.String(), bytes: Type.Integer(), sha256: Type.String() })),
});
export type DatasetVersion = Static<typeof DatasetVersionSchema>;

/** A dataset: its valid versions, oldest first, and the one `latest` points to. */
export const DatasetSchema = Type.Object({
  name: Type.String(),
  /** The current version; null when its pointer is missing or unreadable. */
  latest: Nullable(Type.Integer()),
  versions: Type.Array(DatasetVersionSchema),
});
export type Dataset = Static<typeof DatasetSchema>;

export const DatasetListSchema = Type.Object({ datasets: Type.Array(DatasetSchema) });
export type DatasetList = Static<typeof DatasetListSchema>;

/** A version checked against its manifest, byte for byte. */
export const VerifyResultSchema = Type.Object({
  name: Type.String(),
  version: Type.Integer(),
  /** True when `problems` is empty. */
  ok: Type.Boolean(),
  /** One sentence per problem found (manifest, files, records, extra files). */
  problems: Type.Array(Type.String()),
});
export type VerifyResult = Static<typeof VerifyResultSchema>;
