export * from "./types.ts";
export * from "./schedule-types.ts";
export * from "./validator-types.ts";
export * from "./errors.ts";
export { openSqliteStore } from "./sqlite-store.ts";
export { openPgStore, copySqliteToPg, copyBlobsToPg } from "./pg-entry.ts";
export type { BlobShareReport } from "./pg-blobs.ts";
export type { CopiedTable, CopyProgress, CopyReport } from "./copy-to-pg.ts";
export type { OpenDatabaseOptions } from "./database.ts";
export { FileBlobStore, type BlobRef, type BlobStore } from "./blob-store.ts";
export { parseRecordSource, requestBodyDigest, type RecordSource } from "./record-source.ts";
export {
  buildRecordFile,
  openRecordFile,
  recordFilePath,
  RECORD_FILE_RUN,
  type RecordFile,
} from "./record-file.ts";
