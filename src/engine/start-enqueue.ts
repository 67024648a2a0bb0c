/**
 * The crawl's first requests: the start URLs (the definition's, then its start sources'), a
 * batch at a time, and the first document of each sitemap start. Idempotent: a resumed run
 * offers them again and the queue ignores the ones it knows.
 */
import type { Clock, LogLevel } from "../core/index.ts";
import type { CompiledScraper } from "../pipeline/index.ts";
import type { NewRequest, Store } from "../store/index.ts";
import type { LinkAdmission } from "./link-admission.ts";
import type { ProgressTracker } from "./progress-tracker.ts";
import { startRequests, type StartBatch } from "./start-urls.ts";

/** What enqueueing the starts needs from the crawl. */
export interface StartDeps {
  runId: string;
  store: Store;
  scraper: CompiledScraper;
  clock: Clock;
  progress: ProgressTracker;
  normalizeUrl(url: string): string | null;
  log(level: LogLevel, message: string): void;
  startUrls(): AsyncIterable<StartBatch>;
}

/** Enqueues the start URLs, then the sitemaps; the links admission learns they are queued. */
export async function enqueueStarts(deps: StartDeps, links: LinkAdmission): Promise<void> {
  await enqueueStartUrls(deps, links);
  await enqueueSitemaps(deps, links);
}

/** The start URLs, a batch at a time (start files and datasets may hold millions). */
async function enqueueStartUrls(deps: StartDeps, links: LinkAdmission): Promise<void> {
  const { scraper, store, runId, clock } = deps;
  for await (const batch of deps.startUrls()) {
    const requests = startRequests(batch, scraper.startPage, deps.normalizeUrl, deps.log);
    const added = await store.queue.enqueue(runId, requests, clock.now());
    if (added > 0) deps.progress.discovered(batch.target, added);
    // Links longer than max_url_length are skipped (and counted) even when they name a start URL;
    // a POST is keyed on its URL and body, never the same request as a GET.
    for (const r of requests) if (r.url.length <= scraper.limits.maxUrlLength) links.queued(r.url, r.body);
  }
}

/**
 * The first document of each sitemap start, as a request of its internal page type (pipeline's
 * sitemap-start.ts): the sitemaps and the pages they list are then crawled, and resumed, like links.
 */
async function enqueueSitemaps(deps: StartDeps, links: LinkAdmission): Promise<void> {
  const { scraper, store, runId, clock } = deps;
  for (const target of scraper.targets) {
    const requests: NewRequest[] = (target.sitemaps ?? []).flatMap(({ url, pageType }) => {
      const normalized = deps.normalizeUrl(url);
      return normalized ? [{ url: normalized, pageType, target: target.name, depth: 0 }] : [];
    });
    if (requests.length === 0) continue;
    const added = await store.queue.enqueue(runId, requests, clock.now());
    if (added > 0) deps.progress.discovered(target.name, added);
    for (const r of requests) links.queued(r.url);
  }
}
