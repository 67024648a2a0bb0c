import type { LogLevel } from "../core/index.ts";
import type { CompiledScraper } from "../pipeline/index.ts";
import type { ProgressTracker } from "./progress-tracker.ts";

/** What the limits read: the scraper's `max_pages` and `max_runtime`, and how far the run is. */
export interface CrawlLimitDeps {
  scraper: CompiledScraper;
  progress: ProgressTracker;
  /** Seconds the run has been running so far, over all sessions. */
  runningSeconds(): number;
  log(level: LogLevel, message: string): void;
}

/** A crawl's `max_pages` and `max_runtime`: once either is reached, no new request starts. */
export class CrawlLimits {
  private logged = false;

  constructor(private readonly deps: CrawlLimitDeps) {}

  /** True once a limit is reached; the first time, logs which. */
  reached(): boolean {
    const { scraper, progress } = this.deps;
    const { limits } = scraper;
    let reason: string | undefined;
    if (limits.maxPages !== undefined && progress.pagesDone() >= limits.maxPages) {
      reason = `max_pages (${limits.maxPages})`;
    } else if (
      limits.maxRuntimeMs !== undefined &&
      this.deps.runningSeconds() * 1000 >= limits.maxRuntimeMs
    ) {
      reason = `max_runtime (${limits.maxRuntimeMs} ms)`;
    }
    if (reason && !this.logged) {
      this.logged = true;
      this.deps.log(
        "warn",
        `limit ${reason} reached: no new requests; the crawl ends when in-flight ones finish`,
      );
    }
    return reason !== undefined;
  }
}
