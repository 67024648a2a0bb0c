import type { FastifyInstance, FastifyReply } from "fastify";
import { Type } from "typebox";
import { finalStage, requireRun, type App } from "../../app/index.ts";
import {
  CAPTURE_KINDS,
  CapturePageSchema,
  CaptureSourceSchema,
  type Capture,
  type CaptureKind,
  type CapturePage,
  type CaptureSource,
  type SourceMatch,
} from "../../core/contract/captures.ts";
import { NotFoundError } from "../../core/errors.ts";
import { loadScraper, type CompiledScraper } from "../../pipeline/index.ts";
import { FileBlobStore, type CaptureRecord, type RunRecord } from "../../store/index.ts";
import { HttpError } from "../api-error.ts";
import { bestPageType, highlightCss, injectStyle, selectorsOf } from "../page-highlight.ts";
import { binaryResponse } from "./binary-response.ts";

const KIND = CAPTURE_KINDS.join("|");

/**
 * Sent with every recorded body: the page becomes an opaque origin that runs no script, loads
 * nothing from the network (images only as `data:` URLs) and keeps only its inline styles.
 */
export const BODY_SECURITY_HEADERS = {
  "content-security-policy": "sandbox; default-src 'none'; img-src data:; style-src 'unsafe-inline'",
  "x-content-type-options": "nosniff",
  "referrer-policy": "no-referrer",
  "cross-origin-resource-policy": "same-origin",
} as const;

/** Pages read when a record's page is found by its values rather than by a URL it holds. */
const MAX_CONTENT_SCAN = 1000;

const RunId = Type.Object({ id: Type.String() });
const CaptureId = Type.Object({ id: Type.String(), captureId: Type.Integer({ minimum: 1 }) });

/**
 * Captures of a run (pages, browser responses, actions, screenshots): listed without bodies, a
 * body or image on its own (sandboxed: see {@link BODY_SECURITY_HEADERS}), optionally with the
 * scraper's selectors outlined, and the page a record came from.
 */
export function captureRoutes(server: FastifyInstance, app: App): void {
  const blobs = new FileBlobStore(app.paths.blobs);
  const scrapers = scraperCache();

  server.get(
    "/runs/:id/captures",
    {
      schema: {
        summary: "A run's captures in order, without bodies; page with `after` (the last id seen)",
        tags: ["replay"],
        params: RunId,
        querystring: Type.Object({
          kinds: Type.Optional(Type.String({ pattern: `^(${KIND})(,(${KIND}))*$` })),
          after: Type.Optional(Type.Integer({ minimum: 0 })),
          limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 1000, default: 500 })),
        }),
        response: { 200: CapturePageSchema },
      },
    },
    async (request): Promise<CapturePage> => {
      const { id } = request.params as { id: string };
      const q = request.query as { kinds?: string; after?: number; limit?: number };
      await requireRun(app.store, id);
      const limit = q.limit ?? 500;
      const rows = await app.store.captures.list(id, {
        ...(q.kinds && { kinds: q.kinds.split(",") as CaptureKind[] }),
        ...(q.after !== undefined && { afterId: q.after }),
        limit: limit + 1,
      });
      const page = rows.slice(0, limit);
      const counts = await app.store.captures.counts(id);
      return {
        captures: page.map(captureView),
        next: rows.length > limit ? page.at(-1)!.id : null,
        counts: {
          page: counts.page ?? 0,
          response: counts.response ?? 0,
          action: counts.action ?? 0,
          screenshot: counts.screenshot ?? 0,
        },
      };
    },
  );

  server.get(
    "/runs/:id/captures/:captureId/body",
    {
      schema: {
        summary: "A capture's body or image, sandboxed; `highlight` outlines a page type's fields",
        tags: ["replay"],
        params: CaptureId,
        querystring: Type.Object({
          highlight: Type.Optional(
            Type.String({ description: "a page type, or `auto` (the one whose selectors match most)" }),
          ),
        }),
        response: {
          200: binaryResponse(
            "The body as recorded: a page as UTF-8 HTML, a screenshot or an action's result as PNG, a " +
              "response with its own content type (application/octet-stream when it had none usable)",
            ["text/html", "image/png", "*/*"],
            {
              "content-security-policy": "sandbox: the page runs no script and loads nothing",
              "cache-control": "private, max-age=86400 (a capture never changes); no-store when highlighted",
              "x-trawl-highlight": "the page type outlined (`none`: none matched); only with `highlight`",
            },
          ),
        },
      },
      // Before anything can fail: an error answer carries them too.
      onRequest: async (_request, reply) => void reply.headers(BODY_SECURITY_HEADERS),
    },
    async (request, reply) => {
      const { id, captureId } = request.params as { id: string; captureId: number };
      const { highlight } = request.query as { highlight?: string };
      const run = await requireRun(app.store, id);
      const capture = await app.store.captures.get(id, captureId);
      if (!capture)
        throw new NotFoundError("TRAWL_ERR_REPLAY_CAPTURE_NOT_FOUND", `no capture ${captureId} in run ${id}`);
      if (!capture.blob)
        throw new NotFoundError("TRAWL_ERR_REPLAY_NO_BODY", `capture ${captureId} of run ${id} has no body`);
      const body = await blobs.get(capture.blob);
      void reply.type(contentTypeOf(capture));
      if (highlight === undefined || capture.kind !== "page") return sendBody(reply, body, true);
      const html = body.toString("utf8");
      const types = selectorsOf(await scrapers.get(run));
      const chosen =
        highlight === "auto" || highlight === "1"
          ? bestPageType(types, html)
          : types.find((t) => t.pageType === highlight);
      if (!chosen && highlight !== "auto" && highlight !== "1" && types.length > 0)
        throw new HttpError(400, "TRAWL_ERR_HTTP_VALIDATION", `the scraper has no page type "${highlight}"`);
      void reply.header("x-trawl-highlight", chosen?.pageType ?? "none");
      return sendBody(reply, Buffer.from(chosen ? injectStyle(html, highlightCss(chosen)) : html), false);
    },
  );

  server.get(
    "/runs/:id/source",
    {
      schema: {
        summary: "The recorded page a record (or a URL) came from, and the selectors of its fields",
        tags: ["replay"],
        params: RunId,
        querystring: Type.Object({
          url: Type.Optional(Type.String({ description: "the page's URL" })),
          record: Type.Optional(
            Type.Integer({ minimum: 0, description: "a record's position (as /records)" }),
          ),
          stage: Type.Optional(
            Type.Integer({ minimum: 0, description: "the record's stage (default: final)" }),
          ),
        }),
        response: { 200: CaptureSourceSchema },
      },
    },
    async (request): Promise<CaptureSource> => {
      const { id } = request.params as { id: string };
      const q = request.query as { url?: string; record?: number; stage?: number };
      const run = await requireRun(app.store, id);
      if (q.url === undefined && q.record === undefined)
        throw new HttpError(400, "TRAWL_ERR_HTTP_VALIDATION", "give `url` or `record`");
      const sourced = q.record === undefined ? undefined : await readRecord(app, id, q.record, q.stage);
      const record = sourced?.data;
      const found =
        q.url !== undefined
          ? await byUrl(app, id, q.url)
          : ((await bySource(app, id, sourced!.source)) ??
            (await byRecordUrl(app, id, record!)) ??
            (await byContent(app, blobs, id, record!)));
      if (!found)
        throw new NotFoundError(
          "TRAWL_ERR_REPLAY_SOURCE_NOT_FOUND",
          q.url !== undefined
            ? `run ${id} has no recorded page ${q.url}`
            : `no recorded page of run ${id} holds record ${q.record} (was the run recorded?)`,
        );
      const scraper = await scrapers.get(run);
      const types = selectorsOf(scraper);
      const html = found.capture.blob ? (await blobs.get(found.capture.blob)).toString("utf8") : "";
      const chosen = bestPageType(types, html, record && Object.keys(record));
      const view = captureView(found.capture);
      return {
        url: found.capture.url,
        match: found.match,
        capture: view,
        pageType: chosen?.pageType ?? null,
        each: chosen?.each ?? null,
        fields: chosen?.fields ?? [],
        pageTypes: types.map((t) => t.pageType),
        definitionChanged: scraper !== null && scraper.hash !== run.definitionHash,
        highlightUrl:
          chosen && view.bodyUrl ? `${view.bodyUrl}?highlight=${encodeURIComponent(chosen.pageType)}` : null,
      };
    },
  );
}

/** A capture as the API shows it: time as ISO 8601, and where its body is (null: none). */
function captureView(capture: CaptureRecord): Capture {
  const { id, runId, kind, url, detail, blob, size } = capture;
  const bodyUrl = blob ? `/api/runs/${encodeURIComponent(runId)}/captures/${id}/body` : null;
  // The store keeps `detail` as plain JSON; its one writer (CaptureWriter) stores each kind's
  // detail as the contract describes it (src/replay/capture-detail.ts checks that at compile time).
  return {
    id,
    runId,
    kind,
    at: new Date(capture.at).toISOString(),
    url,
    detail,
    blob,
    size,
    bodyUrl,
  } as Capture;
}

function sendBody(reply: FastifyReply, body: Buffer, immutable: boolean) {
  // A capture never changes; a highlighted page follows the definition, which may.
  void reply.header("cache-control", immutable ? "private, max-age=86400" : "no-store");
  return reply.send(body);
}

/** Screenshots are PNG, pages UTF-8 HTML, responses what they said they were. */
function contentTypeOf(capture: CaptureRecord): string {
  if (capture.kind === "action" || capture.kind === "screenshot") return "image/png";
  if (capture.kind === "page") return "text/html; charset=utf-8";
  const headers = (capture.detail.headers ?? {}) as Record<string, unknown>;
  const type = headers["content-type"];
  // Only a well-formed media type: a header value is never passed on as it came.
  return typeof type === "string" && /^[\w.+-]+\/[\w.+-]+(\s*;[\w\s.+=";/-]*)?$/.test(type)
    ? type
    : "application/octet-stream";
}

/** Compiled scrapers of runs' definitions, loaded once per run (null: none or unreadable). */
function scraperCache() {
  const cache = new Map<string, Promise<CompiledScraper | null>>();
  return {
    get(run: RunRecord): Promise<CompiledScraper | null> {
      let scraper = cache.get(run.id);
      if (!scraper) {
        scraper = run.source ? loadScraper(run.source).catch(() => null) : Promise.resolve(null);
        if (cache.size >= 32) cache.delete(cache.keys().next().value!);
        cache.set(run.id, scraper);
      }
      return scraper;
    },
  };
}

/** The record at `index` of `stage` (default: the final one, as `/records` shows), with its page. */
async function readRecord(app: App, runId: string, index: number, stage?: number) {
  const from = stage ?? (await finalStage(app.store, runId));
  const found = await app.store.records.at(runId, from, index);
  if (!found)
    throw new NotFoundError(
      "TRAWL_ERR_REPLAY_SOURCE_NOT_FOUND",
      `run ${runId} has no record ${index} in stage ${from}`,
    );
  return { data: (found.data ?? {}) as Record<string, unknown>, source: found.source };
}

interface Found {
  capture: CaptureRecord;
  match: SourceMatch;
}

/** The page of the request that produced the record, as the store kept it. */
async function bySource(app: App, runId: string, source: string | null): Promise<Found | null> {
  const capture = source === null ? undefined : await app.store.captures.latestPage(runId, source);
  return capture ? { capture, match: "request" } : null;
}

/** The latest page capture of a URL, requested or (after redirects) final. */
async function byUrl(app: App, runId: string, url: string): Promise<Found | null> {
  const capture = await app.store.captures.latestPage(runId, url);
  if (capture) return { capture, match: "url" };
  let final: CaptureRecord | undefined;
  for await (const page of pageCaptures(app, runId)) if (page.detail.finalUrl === url) final = page;
  return final ? { capture: final, match: "final-url" } : null;
}

/** A page whose URL the record holds (a `from: url` field, say). */
async function byRecordUrl(app: App, runId: string, record: Record<string, unknown>) {
  for (const value of Object.values(record)) {
    if (typeof value !== "string" || !/^https?:\/\//i.test(value)) continue;
    const found = await byUrl(app, runId, value);
    if (found) return found;
  }
  return null;
}

/** The first page whose HTML holds most of the record's text values. */
async function byContent(app: App, blobs: FileBlobStore, runId: string, record: Record<string, unknown>) {
  const values = Object.values(record)
    .filter((v): v is string => typeof v === "string" && v.trim().length >= 3)
    .map((v) => v.trim())
    .slice(0, 20);
  if (values.length === 0) return null;
  let best: Found | null = null;
  let bestScore = 0;
  let scanned = 0;
  for await (const page of pageCaptures(app, runId)) {
    if (!page.blob || scanned++ >= MAX_CONTENT_SCAN) continue;
    const html = (await blobs.get(page.blob).catch(() => Buffer.alloc(0))).toString("utf8");
    const score = values.filter((v) => html.includes(v) || html.includes(escapeHtml(v))).length;
    if (score > bestScore) [best, bestScore] = [{ capture: page, match: "content" }, score];
    if (score === values.length) break;
  }
  // The same page fetched again (after a crash) was captured again: show its latest capture.
  const latest = best?.capture.url ? await app.store.captures.latestPage(runId, best.capture.url) : null;
  return latest ? { capture: latest, match: "content" as const } : best;
}

async function* pageCaptures(app: App, runId: string): AsyncIterable<CaptureRecord> {
  let after = 0;
  for (;;) {
    const page = await app.store.captures.list(runId, { kinds: ["page"], afterId: after, limit: 500 });
    yield* page;
    if (page.length < 500) return;
    after = page.at(-1)!.id;
  }
}

function escapeHtml(text: string): string {
  return text.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;").replace(/"/g, "&quot;");
}
