/** The datasets layer: atomic versioned publishing, catalog, verification, exports. */
export type { DatasetManifest, PublishOptions } from "./types.ts";
export { publishDataset } from "./publish.ts";
export { DatasetLibrary } from "./library.ts";
export type { SharedDatasets, SharedManifest, SharedUpload } from "./shared.ts";
export { shareLocalVersions, type ShareReport } from "./share-local.ts";
export { cleanupInterruptedPublishes } from "./cleanup.ts";
export type { CleanupReport } from "./cleanup.ts";
export { listDatasets, listValidVersions, readManifest, readRecords, versionSummary } from "./catalog.ts";
export type { DatasetCatalogEntry, DatasetSummary, DatasetVersionSummary } from "./catalog.ts";
export { verifyDataset } from "./verify.ts";
export type { VerifyResult } from "./verify.ts";
export { collectFields, writeRecords } from "./export.ts";
export type { WriteRecordsOptions, WriteRecordsResult } from "./export.ts";
export { exportDataset } from "./export-dataset.ts";
export type { ExportDatasetOptions } from "./export-dataset.ts";
export { assertDatasetName, assertExportFormat, isDatasetName } from "./layout.ts";
export {
  CsvFieldsError,
  DatasetCorruptError,
  DatasetNameError,
  DatasetNotFoundError,
  DatasetPublishError,
  DatasetRecordError,
  ExportFormatError,
} from "./errors.ts";
export { diffRecords, MAX_LISTED } from "./record-diff.ts";
