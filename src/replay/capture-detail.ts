/**
 * The `detail` of each kind of stored capture (`CaptureRecord.detail`): the fetcher's capture
 * (`FetchCapture`) without its kind, time, URL and body, which are columns or the blob. The body
 * or image is the capture's blob: a page's body as the crawl parsed it (UTF-8 text; for a browser
 * page, the DOM after its actions), a response's body as received, an action's screenshot (PNG),
 * a screenshot.
 */
import type { FetchCapture } from "../fetch/index.ts";

type DetailOf<K extends FetchCapture["kind"], Stored extends string> = Omit<
  Extract<FetchCapture, { kind: K }>,
  "kind" | "at" | Stored
>;

/** `url` is the requested URL. A failed page has `error` and no body. */
export type PageDetail = DetailOf<"page", "url" | "body">;
/** `url` is the response's URL; `pageUrl` the page that made the request. */
export type ResponseDetail = DetailOf<"response", "url" | "body">;
/** `url` is the page's URL; the action is as written (`{{ env.NAME }}` stays a template). */
export type ActionDetail = DetailOf<"action", "pageUrl" | "screenshot">;
/** `url` is the page's URL; `reason` is `failed` (the page failed) or `page` (every page was asked for). */
export type ScreenshotDetail = DetailOf<"screenshot", "pageUrl" | "image">;

export type CaptureDetail = PageDetail | ResponseDetail | ActionDetail | ScreenshotDetail;
