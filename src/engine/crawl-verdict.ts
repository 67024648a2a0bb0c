/**
 * Whether a crawl's result may go on to its steps. The steps would publish what the crawl got as
 * the dataset's latest version, so a crawl that fetched nothing, failed more requests than
 * `limits.max_failed` allows, or yielded no records fails the run before them.
 */
import type { CompiledScraper } from "../pipeline/index.ts";
import { describeTolerance, tolerated } from "../pipeline/index.ts";
import type { Store } from "../store/index.ts";
import { emptyCrawlCulprits } from "./empty-crawl.ts";
import { EmptyCrawlError, NothingFetchedError, TooManyFailedError } from "./errors.ts";
import type { ProgressTracker } from "./progress-tracker.ts";
import type { SelectorTally } from "./selector-tally.ts";

/** What the verdict reads: the run's scraper, its queue's failures, its progress and selector health. */
export interface CrawlResult {
  runId: string;
  scraper: CompiledScraper;
  store: Store;
  progress: ProgressTracker;
  selectors: SelectorTally;
}

/**
 * Resolves when the crawl's result may go on to the steps.
 *
 * @throws NothingFetchedError, TooManyFailedError or EmptyCrawlError (see the module's comment).
 */
export async function checkCrawl(crawl: CrawlResult): Promise<void> {
  await checkFailures(crawl);
  checkEmpty(crawl);
}

/** No page fetched at all, or more failed requests than `limits.max_failed` allows. */
async function checkFailures({ runId, scraper, store, progress }: CrawlResult): Promise<void> {
  const { pagesDone: requests, errors: failed } = progress.overall();
  if (failed === 0) return;
  const max = scraper.limits.maxFailed;
  if (failed < requests && (max === undefined || failed <= tolerated(max, requests))) return;
  const failures = await store.queue.failures(runId);
  if (failed === requests) throw new NothingFetchedError(failures);
  // Some pages were fetched, so max_failed is set and was exceeded.
  throw new TooManyFailedError(failures, requests, describeTolerance(max!));
}

/**
 * Pages fetched but no records (or only records in which no selector found a value) because
 * selectors matched nothing. `allow_empty: true` accepts it.
 */
function checkEmpty({ scraper, progress, selectors }: CrawlResult): void {
  if (scraper.allowEmpty) return;
  const { pagesDone, errors, records } = progress.overall();
  const fetched = pagesDone - errors;
  if (fetched === 0) return;
  const counted = selectors.pages() >= fetched;
  const culprits = emptyCrawlCulprits(selectors.snapshot(), { pages: scraper.pages, records, counted });
  if (culprits) throw new EmptyCrawlError(fetched, records > 0, culprits);
}
