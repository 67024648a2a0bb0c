/**
 * The scraper `trawl run` executes in the benchmark: `examples/bookshop.yaml` over all four
 * categories, with politeness opened up so that only trawl's own speed limits the crawl.
 */
import { mkdir, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { BOOK_CATEGORIES, BOOKS_PER_LIST_PAGE } from "../src/demo/index.ts";

/** Requests in flight, for trawl and the bare loop alike. */
export const BENCH_CONCURRENCY = 16;

/** Far above what loopback can serve, so the adaptive rate limiter never holds a request back. */
const UNCAPPED_RATE = 1_000_000;

/** Pages a crawl of the bookshop visits: every product page plus every list page, per category. */
export function crawlPages(booksPerCategory: number): number {
  const listPages = Math.max(1, Math.ceil(booksPerCategory / BOOKS_PER_LIST_PAGE));
  return BOOK_CATEGORIES.length * (booksPerCategory + listPages);
}

/** The books per category whose crawl comes closest to `pages` pages (at least 1 book). */
export function booksForPages(pages: number): number {
  const perBook = BOOK_CATEGORIES.length * (1 + 1 / BOOKS_PER_LIST_PAGE);
  return Math.max(1, Math.round(pages / perBook));
}

/** The bench scraper's YAML for a demo site at `origin`. */
export function benchScraperYaml(origin: string): string {
  const targets = BOOK_CATEGORIES.map((c) => `  - { name: ${c}, start: "${origin}/${c}/page/1" }`);
  return [
    "name: crawl-bench",
    "targets:",
    ...targets,
    "pages:",
    "  list:",
    "    follow:",
    '      - { css: "a.next", page: list }',
    '      - { css: "article a.title", page: product }',
    "  product:",
    "    record:",
    "      title: h1",
    '      price: { css: ".price", type: number }',
    '      sku: { css: "[data-sku]", attr: data-sku }',
    "      url: { from: url }",
    `politeness: { concurrency: ${BENCH_CONCURRENCY}, rate_per_host: ${UNCAPPED_RATE} }`,
    "steps:",
    "  - validate: { required: [title, price] }",
    "  - dedupe: { key: sku }",
    "  - export: { dataset: books }",
    "",
  ].join("\n");
}

/** Writes the bench scraper into `dir` and returns its path. */
export async function writeBenchScraper(dir: string, origin: string): Promise<string> {
  await mkdir(dir, { recursive: true });
  const file = join(dir, "crawl-bench.yaml");
  await writeFile(file, benchScraperYaml(origin));
  return file;
}
