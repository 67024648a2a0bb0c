/**
 * Parses a scraper's pages. A page type without code (no `parse` hook) is only a declarative
 * extraction, a pure function of the page: once the crawl is under way it runs on parse threads
 * (see `ParsePool`), beside fetching and storing, and gives the same records and links as here.
 * Being a pure function, its result for a body kept by `cache: revalidate` is kept too, and a
 * revisit that gets the same body back reuses it instead of parsing (see extraction-memo.ts).
 */
import { extractPage, finishPage } from "./compile-page.ts";
import {
  extractionKey,
  keptExtraction,
  reusedExtraction,
  type ExtractionMemo,
  type KeptBody,
} from "./extraction-memo.ts";
import { ParsePool } from "./parse-pool.ts";
import type {
  CompiledPage,
  CompiledScraper,
  DeclarativePage,
  Extraction,
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
  /** Where extractions of kept bodies are kept (`cache: revalidate`); none: every page is parsed. */
  memo?: ExtractionMemo;
}

/** Parses pages of one scraper for one crawl; `close` ends its parse threads. */
export class PageParser {
  /** Started once {@link PARSE_THREADS_AFTER} pages were parsed on the calling thread. */
  private pool: ParsePool | undefined;
  private parsedHere = 0;
  /** Pages whose kept extraction was reused instead of parsing them. */
  reused = 0;

  constructor(
    private readonly scraper: CompiledScraper,
    private readonly options: PageParserOptions,
  ) {}

  /**
   * Parses on a parse thread when the page type has no code and a thread is ready, else here.
   * `kept`: a body `cache: revalidate` kept; its extraction is kept too, and reused on a later
   * run that gets the same body back (a page type with code is parsed).
   */
  parse(
    page: CompiledPage,
    input: PageInput,
    ctx: ScraperContext,
    kept?: KeptBody,
  ): Promise<PageOutput> | PageOutput {
    const { memo } = this.options;
    if (page.declarative && memo && kept) {
      const extraction = this.remembered(page.declarative, page.name, input, memo, kept);
      return extraction.then((found) => finishPage(found, input, ctx));
    }
    if (kept?.read)
      return kept.read().then((body) => this.parse(page, { ...input, body }, ctx, { sha256: kept.sha256 }));
    if (page.declarative) {
      const extraction = this.pool?.extract(page.name, input);
      if (extraction) return extraction.then((found) => finishPage(found, input, ctx));
      this.noteParsedHere();
    }
    return page.parse(input, ctx);
  }

  /** The extraction kept under the page's key, else the page extracted now and kept. */
  private async remembered(
    spec: DeclarativePage,
    name: string,
    input: PageInput,
    memo: ExtractionMemo,
    kept: KeptBody,
  ): Promise<Extraction> {
    const key = extractionKey(this.scraper.hash, input, kept.sha256);
    const text = await memo.get(input.url, key);
    if (text !== undefined) {
      this.reused++;
      return reusedExtraction(text);
    }
    const page = kept.read ? { ...input, body: await kept.read() } : input;
    const extraction = await this.extract(spec, name, page);
    await memo.keep(input.url, key, keptExtraction(extraction));
    return extraction;
  }

  /** A declarative page's extraction, on a parse thread when one is ready. */
  private extract(spec: DeclarativePage, name: string, input: PageInput): Promise<Extraction> | Extraction {
    const extraction = this.pool?.extract(name, input);
    if (extraction) return extraction;
    this.noteParsedHere();
    return extractPage(spec, input);
  }

  /** Counts a page parsed on the calling thread; enough of them start the parse threads. */
  private noteParsedHere(): void {
    if (++this.parsedHere === PARSE_THREADS_AFTER) this.startThreads();
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
