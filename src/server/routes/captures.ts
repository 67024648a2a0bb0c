import type { FastifyInstance, FastifyReply } from "fastify";
import { Type } from "typebox";
import { finalStage, loadScraper, requireRun, type App, type CompiledScraper } from "../../app/index.ts";
import {
  CAPTURE_KINDS,
  CapturePageSchema,
  CaptureSourceSchema,
  type Capture,
  type CaptureKind,
  type CapturePage,
  type CaptureSource,
} from "../../core/contract/captures.ts";
import {
  bestPageType,
  highlightCss,
  injectStyle,
  pageOfRecord,
  pageOfUrl,
  replayError,
  selectorsOf,
} from "../../replay/index.ts";
import type { BlobStore, CaptureRecord, RunRecord } from "../../store/index.ts";
import { serverError } from "../errors.ts";
import { binaryResponse } from "./binary-response.ts";

const KIND = CAPTURE_KINDS.join("|");

/**
 * Sent with every recorded body: the page becomes an opaque origin that runs no script, loads
 * nothing from the network (images only as `data:` URLs) and keeps only its inline styles.
 */
export const BODY_SECURITY_HEADERS = {
  // Framed by the app's replay viewer only (the app itself may not be framed at all).
  "content-security-policy":
    "sandbox; default-src 'none'; img-src data:; style-src 'unsafe-inline'; frame-ancestors 'self'",
  "x-content-type-options": "nosniff",
  "referrer-policy": "no-referrer",
  "cross-origin-resource-policy": "same-origin",
} as const;

const RunId = Type.Object({ id: Type.String() });
const CaptureId = Type.Object({ id: Type.String(), captureId: Type.Integer({ minimum: 1 }) });

/**
 * Captures of a run (pages, browser responses, actions, screenshots): listed without bodies, a
 * body or image on its own (sandboxed: see {@link BODY_SECURITY_HEADERS}), optionally with the
 * scraper's selectors outlined, and the page a record came from.
 */
export function captureRoutes(server: FastifyInstance, app: App): void {
  const context: CaptureContext = {
    app,
    blobs: app.store.blobStore(app.paths.blobs),
    scrapers: scraperCache(),
  };
  listCaptures(server, context);
  captureBody(server, context);
  captureSource(server, context);
}

interface CaptureContext {
  app: App;
  blobs: BlobStore;
  scrapers: ReturnType<typeof scraperCache>;
}

/** `GET /runs/:id/captures`: a page of a run's captures, without bodies. */
function listCaptures(server: FastifyInstance, { app }: CaptureContext): void {
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
}

/** `GET /runs/:id/captures/:captureId/body`: a body as recorded, a page optionally highlighted. */
function captureBody(server: FastifyInstance, { app, blobs, scrapers }: CaptureContext): void {
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
        throw replayError("TRAWL_ERR_REPLAY_CAPTURE_NOT_FOUND", `no capture ${captureId} in run ${id}`);
      if (!capture.blob)
        throw replayError("TRAWL_ERR_REPLAY_NO_BODY", `capture ${captureId} of run ${id} has no body`);
      const body = await blobs.get(capture.blob);
      void reply.type(contentTypeOf(capture));
      if (highlight === undefined || capture.kind !== "page") return sendBody(reply, body, true);
      const html = body.toString("utf8");
      const types = selectorsOf(Object.values((await scrapers.get(run))?.pages ?? {}));
      const chosen =
        highlight === "auto" || highlight === "1"
          ? bestPageType(types, html)
          : types.find((t) => t.pageType === highlight);
      if (!chosen && highlight !== "auto" && highlight !== "1" && types.length > 0)
        throw serverError("TRAWL_ERR_HTTP_VALIDATION", `the scraper has no page type "${highlight}"`);
      void reply.header("x-trawl-highlight", chosen?.pageType ?? "none");
      return sendBody(reply, Buffer.from(chosen ? injectStyle(html, highlightCss(chosen)) : html), false);
    },
  );
}

/** `GET /runs/:id/source`: the recorded page a record or URL came from, with its selectors. */
function captureSource(server: FastifyInstance, { app, blobs, scrapers }: CaptureContext): void {
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
        throw serverError("TRAWL_ERR_HTTP_VALIDATION", "give `url` or `record`");
      const sourced = q.record === undefined ? undefined : await readRecord(app, id, q.record, q.stage);
      const record = sourced?.data;
      const found =
        q.url !== undefined
          ? await pageOfUrl(app.store, id, q.url)
          : await pageOfRecord(app.store, blobs, id, sourced!);
      if (!found)
        throw replayError(
          "TRAWL_ERR_REPLAY_SOURCE_NOT_FOUND",
          q.url !== undefined
            ? `run ${id} has no recorded page ${q.url}`
            : `no recorded page of run ${id} holds record ${q.record} (was the run recorded?)`,
        );
      const scraper = await scrapers.get(run);
      const types = selectorsOf(Object.values(scraper?.pages ?? {}));
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
    throw replayError(
      "TRAWL_ERR_REPLAY_SOURCE_NOT_FOUND",
      `run ${runId} has no record ${index} in stage ${from}`,
    );
  return { data: (found.data ?? {}) as Record<string, unknown>, source: found.source };
}
