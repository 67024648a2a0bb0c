/**
 * Recording and replay: what runs captured, and replaying a run offline from it. The WARC and
 * HAR writers load their modules (and warcio) when first used.
 */
export { CaptureWriter, type CaptureWishes } from "./capture-writer.ts";
export type {
  ActionDetail,
  CaptureDetail,
  PageDetail,
  ResponseDetail,
  ScreenshotDetail,
} from "./capture-detail.ts";
export { ReplayFetcher } from "./replay-fetcher.ts";
export { openRecording, type Recording, type ExportResult } from "./read-captures.ts";
export { NoRecordingError, REPLAY_ERRORS, replayError } from "./errors.ts";
export {
  bestPageType,
  highlightCss,
  injectStyle,
  selectorsOf,
  type PageSelectors,
} from "./page-highlight.ts";
export { pageOfRecord, pageOfUrl, type SourcePage, type SourcedRecord } from "./source-page.ts";
export { writeHar, writeWarc } from "./recording-writers.ts";
