/** Recording and replay: what runs captured, and replaying a run offline from it. */
export { CaptureWriter, type CaptureWishes } from "./capture-writer.ts";
export type {
  ActionDetail,
  CaptureDetail,
  PageDetail,
  ResponseDetail,
  ScreenshotDetail,
} from "./capture-detail.ts";
export { ReplayFetcher } from "./replay-fetcher.ts";
export { writeWarc, type WarcExportOptions } from "./warc-export.ts";
export { writeHar } from "./har-export.ts";
export { openRecording, NoRecordingError, type Recording, type ExportResult } from "./read-captures.ts";
