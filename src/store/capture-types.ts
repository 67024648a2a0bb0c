/** Storage contract of what runs captured (pages, responses, actions, screenshots) for replay. */
import type { CaptureKind } from "../core/contract/captures.ts";
import type { RequestBody } from "../core/index.ts";

/** What a run captured; see {@link CaptureStore}. */
export type { CaptureKind };

/** A capture to store. Bodies and images go to the blob store first; `blob` names them. */
export interface NewCapture {
  kind: CaptureKind;
  at: number;
  /** The page's or response's URL; for actions and screenshots, the URL of the page they were on. */
  url: string | null;
  /** Kind-specific facts (status, headers, action, reason…): plain JSON. */
  detail: Record<string, unknown>;
  /** SHA-256 of the body or image in the blob store. */
  blob?: string | null;
  /** Its size in bytes, uncompressed. */
  size?: number | null;
}

/** A stored capture. */
export interface CaptureRecord extends NewCapture {
  id: number;
  runId: string;
  blob: string | null;
  size: number | null;
}

/**
 * Captures of runs, in the order they happened: `page` (what the crawl parsed, the source of
 * replay), `response` (a browser's network response), `action` (a browser action) and
 * `screenshot`.
 */
export interface CaptureStore {
  /** Stores captures in one transaction; resolves to their ids. */
  add(runId: string, captures: NewCapture[]): Promise<number[]>;
  /** Captures of a run in order, optionally of some kinds, after an id, at most `limit` (default 1000). */
  list(
    runId: string,
    options?: { kinds?: CaptureKind[]; afterId?: number; limit?: number },
  ): Promise<CaptureRecord[]>;
  get(runId: string, id: number): Promise<CaptureRecord | null>;
  /**
   * The latest `page` capture of a URL (a request fetched again after a crash is captured again):
   * of any request to it (`body` undefined), of its GET (`null`), or of the POST of `body`.
   */
  latestPage(runId: string, url: string, body?: RequestBody | null): Promise<CaptureRecord | null>;
  /** The `page` captures of a URL (GETs and POSTs), latest first, at most `limit` (default 1000). */
  pagesOf(runId: string, url: string, limit?: number): Promise<CaptureRecord[]>;
  /** The latest browser network response to `method url` (replay answers the browser with it). */
  latestResponse(runId: string, url: string, method: string): Promise<CaptureRecord | null>;
  /** How many captures of each kind a run has. */
  counts(runId: string): Promise<Partial<Record<CaptureKind, number>>>;
}
