/**
 * The recorded page a record (or a URL) came from: the page of the request that produced the
 * record, else a page whose URL the record holds, else the page whose HTML holds most of the
 * record's text. The replay viewer shows it with the fields outlined.
 */
import type { SourceMatch } from "../core/contract/captures.ts";
import type { CaptureRecord, FileBlobStore, Store } from "../store/index.ts";

/** Pages read when a record's page is found by its values rather than by a URL it holds. */
const MAX_CONTENT_SCAN = 1000;
/** Page captures listed per store call while scanning a run's pages. */
const SCAN_BATCH = 500;

/** A recorded page, and how it was found. */
export interface SourcePage {
  capture: CaptureRecord;
  match: SourceMatch;
}

/** A record as the store keeps it: its values and the URL of the request that produced it. */
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
  blobs: FileBlobStore,
  runId: string,
  record: SourcedRecord,
): Promise<SourcePage | null> {
  return (
    (await bySource(store, runId, record.source)) ??
    (await byRecordUrl(store, runId, record.data)) ??
    (await byContent(store, blobs, runId, record.data))
  );
}

/** The page of the request that produced the record, as the store kept it. */
async function bySource(store: Store, runId: string, source: string | null): Promise<SourcePage | null> {
  const capture = source === null ? undefined : await store.captures.latestPage(runId, source);
  return capture ? { capture, match: "request" } : null;
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
  blobs: FileBlobStore,
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
  // The same page fetched again (after a crash) was captured again: show its latest capture.
  const latest = best?.capture.url ? await store.captures.latestPage(runId, best.capture.url) : null;
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
