/**
 * Parses a scraper's pages. A page type without code (no `parse` hook) is only a declarative
 * extraction, a pure function of the page: once the crawl is under way it runs on parse threads
 * (see `ParsePool`), beside fetching and storing, and gives the same records and links as here.
 */
import { finishPage } from "./compile-page.ts";
import { ParsePool } from "./parse-pool.ts";
import type {
  CompiledPage,
  CompiledScraper,
  DeclarativePage,
  PageInput,
  PageOutput,
  ScraperContext,
} from "./types.ts";

/** Pages parsed on the calling thread before parse threads start: a small crawl never pays for them. */
const PARSE_THREADS_AFTER = 64;

/** Options of a {@link PageParser}. */
export interface PageParserOptions {
  /** Parse threads to start once the crawl is under way (0: every page is parsed by the caller). */
  threads: number;
  /** Told when the parse threads start. */
  log(level: "info", message: string): void;
}

/** Parses pages of one scraper for one crawl; `close` ends its parse threads. */
export class PageParser {
  /** Started once {@link PARSE_THREADS_AFTER} pages were parsed on the calling thread. */
  private pool: ParsePool | undefined;
  private parsedHere = 0;

  constructor(
    private readonly scraper: CompiledScraper,
    private readonly options: PageParserOptions,
  ) {}

  /** Parses on a parse thread when the page type has no code and a thread is ready, else here. */
  parse(page: CompiledPage, input: PageInput, ctx: ScraperContext): Promise<PageOutput> | PageOutput {
    if (page.declarative) {
      const extraction = this.pool?.extract(page.name, input);
      if (extraction) return extraction.then((found) => finishPage(found, input, ctx));
      if (++this.parsedHere === PARSE_THREADS_AFTER) this.startThreads();
    }
    return page.parse(input, ctx);
  }

  /** Ends the parse threads; pages still being extracted finish on the calling thread. */
  async close(): Promise<void> {
    await this.pool?.close();
  }

  private startThreads(): void {
    const { threads } = this.options;
    if (threads <= 0) return;
    const pages: Record<string, DeclarativePage> = {};
    for (const page of Object.values(this.scraper.pages))
      if (page.declarative) pages[page.name] = page.declarative;
    this.pool = new ParsePool(pages, threads);
    this.options.log("info", `pages without code are parsed on ${threads} parse thread(s) from now on`);
  }
}
