/** What the crawl step is given by its session (or by a worker joining a run), and how it ends. */
import type { Clock, LogLevel, TrawlEvent } from "../core/index.ts";
import type { Fetcher } from "../fetch/index.ts";
import type { CompiledScraper, ExtractionMemo, PageOutput, ScraperContext } from "../pipeline/index.ts";
import type { Store } from "../store/index.ts";
import type { ConcurrencyAutoscaler } from "./autoscaler.ts";
import type { ProgressTracker } from "./progress-tracker.ts";
import type { RunControls } from "./run-controls.ts";
import type { RunGovernance } from "./run-usage.ts";
import type { StartBatch } from "./start-urls.ts";

/** How the crawl step ended. */
export type CrawlOutcome = "finished" | "stopped" | "cancelled";

/** Everything the crawl step needs from its session. */
export interface CrawlDeps {
  runId: string;
  owner: string;
  store: Store;
  scraper: CompiledScraper;
  fetcher: Fetcher;
  controls: RunControls;
  progress: ProgressTracker;
  clock: Clock;
  scraperContext: ScraperContext;
  /**
   * Normalises a discovered URL; null drops it. Must be idempotent (a normalised URL normalises to
   * itself): links spelled exactly as a stored URL skip it.
   */
  normalizeUrl(url: string): string | null;
  /** Seconds the run has been running so far, over all sessions (for `max_runtime`). */
  runningSeconds(): number;
  /** Returns once the run is not paused any more (the session records the pause). */
  holdWhilePaused(): Promise<void>;
  emit(event: TrawlEvent): void;
  log(level: LogLevel, message: string): void;
  /** Threads that parse pages without code (0: all on this thread); see {@link PageParser}. */
  parseThreads: number;
  /** Where extractions of kept bodies are kept (`cache: revalidate`), see {@link PageParser}. */
  extractionMemo?: ExtractionMemo;
  /** Told of every page parsed, with what it yielded (selector health counts it). */
  parsed?(pageType: string, output: PageOutput): void;
  /**
   * The start URLs, target by target in batches: the definition's, then its start sources'.
   * Absent for a worker joining a run another process coordinates: that one enqueued them.
   */
  startUrls?(): AsyncIterable<StartBatch>;
  /** The resource governor's say: concurrency under memory pressure; a limit the run went over. */
  governed?: RunGovernance;
  /** `concurrency: auto`: the concurrency found so far (it watches the run's attempts). */
  autoscaler?: ConcurrencyAutoscaler;
}
