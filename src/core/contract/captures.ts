/**
 * A recorded run's captures as the API serves them (GET /api/runs/:id/captures, GET
 * /api/runs/:id/source) and the web app reads them. Imports nothing but TypeBox, so the web app,
 * the store and the replay code can import it too.
 */
import { Type, type Static } from "typebox";
import { CAPTURE_KINDS } from "./values.ts";

const Instant = Type.String({ format: "date-time" });
const Nullable = <T extends Parameters<typeof Type.Union>[0][number]>(schema: T) =>
  Type.Union([schema, Type.Null()]);
const Headers = Type.Record(Type.String(), Type.String());

export { CAPTURE_KINDS } from "./values.ts";
export const CaptureKindSchema = Type.Enum(CAPTURE_KINDS);
export type CaptureKind = Static<typeof CaptureKindSchema>;

/**
 * A page's facts; the capture's `url` is the requested URL, its body the page as the crawl parsed
 * it (UTF-8 text; for a browser page, the DOM after its actions). A failed page has `error` and no
 * body.
 */
export const PageDetailSchema = Type.Object({
  engine: Type.Union([Type.Literal("http"), Type.Literal("browser")]),
  /** A browser page: how it was loaded (wait_for, wait_until, actions); replay reloads it when this changed. */
  load: Type.Optional(Type.String()),
  finalUrl: Type.Optional(Type.String()),
  status: Type.Optional(Type.Integer()),
  headers: Type.Optional(Headers),
  /** A POST: the body it sent (a form, urlencoded, or JSON); replay answers that POST with this page. */
  request: Type.Optional(
    Type.Object({ type: Type.Union([Type.Literal("form"), Type.Literal("json")]), text: Type.String() }),
  ),
  /** Set when the request failed: replay fails it the same way. `reason` is a reason code (`timeout`, `http_404`…). */
  error: Type.Optional(
    Type.Object({ reason: Type.String(), message: Type.String(), status: Type.Optional(Type.Integer()) }),
  ),
});
export type PageDetail = Static<typeof PageDetailSchema>;

/**
 * A browser page's network response; the capture's `url` is the response's URL, its body the body
 * as received (none when the browser kept none: redirects, aborted loads).
 */
export const ResponseDetailSchema = Type.Object({
  /** The page that made the request. */
  pageUrl: Type.String(),
  method: Type.String(),
  status: Type.Integer(),
  statusText: Type.String(),
  headers: Headers,
  requestHeaders: Headers,
  /** As the browser names it: document, script, fetch, image… */
  resourceType: Type.String(),
  /** Milliseconds from the request to the end of the response. */
  durationMs: Type.Number(),
});
export type ResponseDetail = Static<typeof ResponseDetailSchema>;

/**
 * A browser action done on a page; the capture's `url` is the page's URL, its body a screenshot
 * (PNG) of the result when there is one.
 */
export const ActionDetailSchema = Type.Object({
  /** As written in the definition: `{{ env.NAME }}` stays a template. */
  action: Type.String(),
  durationMs: Type.Number(),
  error: Type.Optional(Type.String()),
});
export type ActionDetail = Static<typeof ActionDetailSchema>;

/** A screenshot (PNG, the capture's body) of the page at the capture's `url`. */
export const ScreenshotDetailSchema = Type.Object({
  /** `failed`: the page failed; `page`: every page was asked for. */
  reason: Type.Union([Type.Literal("failed"), Type.Literal("page")]),
  error: Type.Optional(Type.String()),
});
export type ScreenshotDetail = Static<typeof ScreenshotDetailSchema>;

/** What every capture has besides its kind and detail. */
const captureProperties = {
  /** Increases with every capture of the store; `after` in the next request. */
  id: Type.Integer(),
  runId: Type.String(),
  at: Instant,
  /** The page's or response's URL; for actions and screenshots, the URL of the page they were on. */
  url: Nullable(Type.String()),
  /** SHA-256 of the body or image in the blob store; null when there is none. */
  blob: Nullable(Type.String()),
  /** The body's size in bytes, uncompressed. */
  size: Nullable(Type.Integer()),
  /** Where the body or image is served (sandboxed); null when there is none (a failed page). */
  bodyUrl: Nullable(Type.String()),
};

/** A capture without its body: its kind says what its `detail` holds. */
export const CaptureSchema = Type.Union([
  Type.Object({ kind: Type.Literal("page"), detail: PageDetailSchema, ...captureProperties }),
  Type.Object({ kind: Type.Literal("response"), detail: ResponseDetailSchema, ...captureProperties }),
  Type.Object({ kind: Type.Literal("action"), detail: ActionDetailSchema, ...captureProperties }),
  Type.Object({ kind: Type.Literal("screenshot"), detail: ScreenshotDetailSchema, ...captureProperties }),
]);
export type Capture = Static<typeof CaptureSchema>;

/** Captures of the run per kind (every kind, 0 when it has none), whatever the page's filter. */
export const CaptureCountsSchema = Type.Object(
  {
    page: Type.Integer(),
    response: Type.Integer(),
    action: Type.Integer(),
    screenshot: Type.Integer(),
  },
  { additionalProperties: false },
);
export type CaptureCounts = Static<typeof CaptureCountsSchema>;

/** A page of a run's captures, in the order they happened (GET /api/runs/:id/captures). */
export const CapturePageSchema = Type.Object({
  captures: Type.Array(CaptureSchema),
  /** Pass as `after` for the next page; null on the last page. */
  next: Nullable(Type.Integer()),
  counts: CaptureCountsSchema,
});
export type CapturePage = Static<typeof CapturePageSchema>;

/** A field of a page type, the selector(s) it was read from and its outline colour in the page. */
export const FieldSelectorSchema = Type.Object({
  name: Type.String(),
  /** Scoped by the page type's `records.each`. */
  selector: Type.String(),
  /** A CSS colour, the same in the highlighted page and the viewer's legend. */
  color: Type.String(),
});
export type FieldSelector = Static<typeof FieldSelectorSchema>;

/**
 * How the recorded page of a record was found: the page of the request that produced it
 * (`request`), the URL asked for or one the record holds (`url`), a page redirected there
 * (`final-url`), or the page whose HTML holds most of the record's values (`content`).
 */
export const SourceMatchSchema = Type.Enum(["request", "url", "final-url", "content"] as const);
export type SourceMatch = Static<typeof SourceMatchSchema>;

/** The recorded page a record (or a URL) came from, and where its fields were read (GET /api/runs/:id/source). */
export const CaptureSourceSchema = Type.Object({
  url: Nullable(Type.String()),
  match: SourceMatchSchema,
  capture: CaptureSchema,
  /** The page type whose selectors match the page best; null when the scraper has none that does. */
  pageType: Nullable(Type.String()),
  /** That page type's record scope (`records.each`), if any. */
  each: Nullable(Type.String()),
  fields: Type.Array(FieldSelectorSchema),
  /** Every page type of the scraper that reads fields from the HTML. */
  pageTypes: Type.Array(Type.String()),
  /** The scraper's definition changed since the run: the selectors may not be the run's. */
  definitionChanged: Type.Boolean(),
  /** The page's body with the fields outlined; null without a page type or a body. */
  highlightUrl: Nullable(Type.String()),
});
export type CaptureSource = Static<typeof CaptureSourceSchema>;
