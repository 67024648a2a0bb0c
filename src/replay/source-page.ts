/**
 * The recorded page a record (or a URL) came from: the page of the request that produced the
 * record (for a POST, the page of its own body: two POSTs to one URL are two pages), else a page
 * whose URL the record holds, else the page whose HTML holds most of the record's text. The
 * replay viewer shows it with the fields outlined.
 */
import type { SourceMatch } from "../core/contract/captures.ts";
import {
  parseRecordSource,
  requestBodyDigest,
  type CaptureRecord,
  type BlobStore,
  type Store,
} from "../store/index.ts";
import type { PageDetail } from "./capture-detail.ts";

/** Pages read when a record's page is found by its values rather than by a URL it holds. */
const MAX_CONTENT_SCAN = 1000;
/** Page captures listed per store call while scanning a run's pages. */
const SCAN_BATCH = 500;

/** A recorded page, and how it was found. */
export interface SourcePage {
  capture: CaptureRecord;
  match: SourceMatch;
}

/**
 * A record as the store keeps it: its values and the request that produced it (its URL, and for
 * a POST a NUL and its body's digest: the store's `SourcedRecord.source`).
 */
export interface SourcedRecord {
  data: Record<string, unknown>;
  source: string | null;
}

/** The latest page capture of a URL, requested or (after redirects) final; null when none. */
export async function pageOfUrl(store: Store, runId: string, url: string): Promise<SourcePage | null> {
  const capture = await store.captures.latestPage(runId, url);
  if (capture) return { capture, match: "url" };
  let final: CaptureRecord | undefined;
  for await (const page of pageCaptures(store, runId)) if (page.detail.finalUrl === url) final = page;
  return final ? { capture: final, match: "final-url" } : null;
}

/** The page a record came from (see the module's comment); null when no recorded page fits. */
export async function pageOfRecord(
  store: Store,
  blobs: BlobStore,
  runId: string,
  record: SourcedRecord,
): Promise<SourcePage | null> {
  return (
    (await bySource(store, runId, record.source)) ??
    (await byRecordUrl(store, runId, record.data)) ??
    (await byContent(store, blobs, runId, record.data))
  );
}

/**
 * The page of the request that produced the record: the latest page of its URL and POST body, or
 * of its GET (else of any request to the URL: a source stored before POSTs kept their body's).
 */
async function bySource(store: Store, runId: string, source: string | null): Promise<SourcePage | null> {
  if (source === null) return null;
  const { url, bodyDigest } = parseRecordSource(source);
  const capture =
    bodyDigest === undefined
      ? ((await store.captures.latestPage(runId, url, null)) ?? (await store.captures.latestPage(runId, url)))
      : (await store.captures.pagesOf(runId, url)).find((page) => postDigest(page) === bodyDigest);
  return capture ? { capture, match: "request" } : null;
}

/** The body digest of the POST a page answered; undefined for a GET's page. */
function postDigest(page: CaptureRecord): string | undefined {
  const request = (page.detail as unknown as PageDetail).request;
  return request && requestBodyDigest(request);
}

/** A page whose URL the record holds (a `from: url` field, say). */
async function byRecordUrl(store: Store, runId: string, record: Record<string, unknown>) {
  for (const value of Object.values(record)) {
    if (typeof value !== "string" || !/^https?:\/\//i.test(value)) continue;
    const found = await pageOfUrl(store, runId, value);
    if (found) return found;
  }
  return null;
}

/** The first page whose HTML holds most of the record's text values. */
async function byContent(
  store: Store,
  blobs: BlobStore,
  runId: string,
  record: Record<string, unknown>,
): Promise<SourcePage | null> {
  const values = Object.values(record)
    .filter((v): v is string => typeof v === "string" && v.trim().length >= 3)
    .map((v) => v.trim())
    .slice(0, 20);
  if (values.length === 0) return null;
  let best: SourcePage | null = null;
  let bestScore = 0;
  let scanned = 0;
  for await (const page of pageCaptures(store, runId)) {
    if (!page.blob || scanned++ >= MAX_CONTENT_SCAN) continue;
    const html = (await blobs.get(page.blob).catch(() => Buffer.alloc(0))).toString("utf8");
    const score = values.filter((v) => html.includes(v) || html.includes(escapeHtml(v))).length;
    if (score > bestScore) [best, bestScore] = [{ capture: page, match: "content" }, score];
    if (score === values.length) break;
  }
  // The same page fetched again (after a crash) was captured again: show its latest capture (of
  // the same request: a POST's, not another POST to the URL).
  const request = (best?.capture.detail as unknown as PageDetail | undefined)?.request ?? null;
  const latest = best?.capture.url ? await store.captures.latestPage(runId, best.capture.url, request) : null;
  return latest ? { capture: latest, match: "content" } : best;
}

async function* pageCaptures(store: Store, runId: string): AsyncIterable<CaptureRecord> {
  let after = 0;
  for (;;) {
    const page = await store.captures.list(runId, { kinds: ["page"], afterId: after, limit: SCAN_BATCH });
    yield* page;
    if (page.length < SCAN_BATCH) return;
    after = page.at(-1)!.id;
  }
}

function escapeHtml(text: string): string {
  return text.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;").replace(/"/g, "&quot;");
}
