/**
 * The `detail` of each kind of stored capture (`CaptureRecord.detail`). The body or image is the
 * capture's blob: a page's body as the crawl parsed it (UTF-8 text; for a browser page, the DOM
 * after its actions), a response's body as received, an action's screenshot (PNG), a screenshot.
 */
import type { ReasonCode } from "../fetch/types.ts";

export interface PageDetail {
  engine: "http" | "browser";
  finalUrl?: string;
  status?: number;
  /** Lower-case names, as received (an HTTP page's body is stored decoded, as UTF-8). */
  headers?: Record<string, string>;
  /** Set when the request failed; such a page has no body. */
  error?: { reason: ReasonCode; message: string; status?: number };
}

export interface ResponseDetail {
  /** The URL of the page that made the request. */
  pageUrl: string;
  method: string;
  status: number;
  statusText: string;
  headers: Record<string, string>;
  requestHeaders: Record<string, string>;
  /** Playwright's resource type: document, xhr, fetch, script, stylesheet, image… */
  resourceType: string;
  durationMs: number;
}

export interface ActionDetail {
  /** As written in the definition: `{{ env.NAME }}` stays a template. */
  action: string;
  durationMs: number;
  error?: string;
}

export interface ScreenshotDetail {
  /** `failed`: taken because the page failed; `page`: every page was asked for. */
  reason: "failed" | "page";
  error?: string;
}

export type CaptureDetail = PageDetail | ResponseDetail | ActionDetail | ScreenshotDetail;
