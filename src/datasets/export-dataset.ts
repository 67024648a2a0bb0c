/** Exporting a published dataset version to any format, for `trawl export`. */
import type { Writable } from "node:stream";
import { readManifest, readRecords } from "./catalog.ts";
import { writeRecords } from "./export.ts";
import type { WriteRecordsOptions, WriteRecordsResult } from "./export.ts";
import type { ExportFormat } from "../core/index.ts";

/** Options of {@link exportDataset}. */
export interface ExportDatasetOptions extends Pick<WriteRecordsOptions, "escapeFormulas"> {
  /** @defaultValue the current version */
  version?: number;
}

/**
 * Streams a version's records to `out` in `format`; CSV columns are the manifest's fields. Does
 * not end `out`.
 * @throws {DatasetNotFoundError} when the dataset or version does not exist.
 */
export async function exportDataset(
  root: string,
  name: string,
  format: ExportFormat,
  out: Writable,
  options: ExportDatasetOptions = {},
): Promise<WriteRecordsResult & { version: number }> {
  const manifest = await readManifest(root, name, options.version);
  const records = readRecords(root, name, manifest.version);
  const result = await writeRecords(records, format, out, { ...options, fields: manifest.fields });
  return { ...result, version: manifest.version };
}
