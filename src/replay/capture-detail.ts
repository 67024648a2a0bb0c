/**
 * The `detail` of each kind of stored capture (`CaptureRecord.detail`), as the API contract
 * describes it (src/core/contract/captures.ts, where each kind's fields are documented). The
 * fetcher's capture (`FetchCapture`) is what gets stored: without its kind, time, URL and body
 * (columns, or the blob), it must be exactly the contract's detail, which this file checks at
 * compile time, so the two cannot drift apart.
 */
import type {
  ActionDetail,
  PageDetail as ContractPageDetail,
  ResponseDetail,
  ScreenshotDetail,
} from "../core/contract/captures.ts";
import type { FetchCapture, ReasonCode } from "../fetch/index.ts";

export type { ActionDetail, ResponseDetail, ScreenshotDetail };

/** A page's detail; a failed page's `reason` is one of the fetcher's codes (replay fails it the same way). */
export type PageDetail = Omit<ContractPageDetail, "error"> & {
  error?: NonNullable<ContractPageDetail["error"]> & { reason: ReasonCode };
};

export type CaptureDetail = PageDetail | ResponseDetail | ActionDetail | ScreenshotDetail;

/** What the capture writer stores as a kind's detail (src/replay/capture-writer.ts, STORED_APART). */
type StoredOf<K extends FetchCapture["kind"], Apart extends string> = Omit<
  Extract<FetchCapture, { kind: K }>,
  "kind" | "at" | Apart
>;

/** True when A and B have the same keys and each is assignable to the other. */
type Same<A, B> = [A, keyof A] extends [B, keyof B]
  ? [B, keyof B] extends [A, keyof A]
    ? true
    : false
  : false;

// Compile-time checks: a field added to (or changed in) FetchCapture but not to the contract, or the
// other way round, fails the type-check here instead of being dropped from the API's answers.
const storedAsDescribed: [
  Same<StoredOf<"page", "url" | "body">, PageDetail>,
  Same<StoredOf<"response", "url" | "body">, ResponseDetail>,
  Same<StoredOf<"action", "pageUrl" | "screenshot">, ActionDetail>,
  Same<StoredOf<"screenshot", "pageUrl" | "image">, ScreenshotDetail>,
] = [true, true, true, true];
void storedAsDescribed;
