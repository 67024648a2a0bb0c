/**
 * The scrapers `trawl run` executes in the benchmark, one per catalogue shape, with politeness
 * opened up so that only trawl's own speed limits the crawl: the forward shape is
 * `examples/bookshop.yaml` over all four categories; the links shape follows list pagination and
 * every product link of `link-catalogue.ts` (fields url, title, price, sku).
 */
import { mkdir, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { BOOK_CATEGORIES, BOOKS_PER_LIST_PAGE } from "../src/demo/index.ts";
import { linkCatalogueStarts } from "./link-catalogue.ts";
import type { SiteShape } from "./site-server.ts";

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
    ...productTail("books"),
  ].join("\n");
}

/** Variations of a bench scraper (the workers bench crawls with fewer requests in flight and no steps). */
export interface ScraperVariation {
  /** Requests in flight. @defaultValue {@link BENCH_CONCURRENCY} */
  concurrency?: number;
  /** Whether the validate, dedupe and export steps follow the crawl. @defaultValue true */
  steps?: boolean;
}

/** The link-heavy shape's scraper: pagination and every product link, records of products. */
export function linksScraperYaml(origin: string, variation: ScraperVariation = {}): string {
  const starts = linkCatalogueStarts(origin).map((url) => `  - ${url}`);
  return [
    "name: crawl-bench-links",
    "start:",
    ...starts,
    "pages:",
    "  list:",
    "    follow:",
    '      - { css: "a.next", page: list }',
    '      - { css: "a.product-link", page: product }',
    "  product:",
    "    follow:",
    '      - { css: "a.product-link", page: product }',
    '      - { css: "nav.breadcrumbs a.list", page: list }',
    ...productTail("products", variation),
  ].join("\n");
}

/** Writes the bench scraper of `shape` into `dir` and returns its path. */
export async function writeBenchScraper(
  dir: string,
  origin: string,
  shape: SiteShape = "forward",
): Promise<string> {
  await mkdir(dir, { recursive: true });
  const file = join(dir, `crawl-bench-${shape}.yaml`);
  await writeFile(file, shape === "links" ? linksScraperYaml(origin) : benchScraperYaml(origin));
  return file;
}

/** What both shapes' product pages record, their politeness and steps, publishing to `dataset`. */
function productTail(dataset: string, variation: ScraperVariation = {}): string[] {
  const steps = [
    "steps:",
    "  - validate: { required: [title, price] }",
    "  - dedupe: { key: sku }",
    `  - export: { dataset: ${dataset} }`,
  ];
  return [
    "    record:",
    "      title: h1",
    '      price: { css: ".price", type: number }',
    '      sku: { css: "[data-sku]", attr: data-sku }',
    "      url: { from: url }",
    `politeness: { concurrency: ${variation.concurrency ?? BENCH_CONCURRENCY}, rate_per_host: ${UNCAPPED_RATE} }`,
    ...(variation.steps === false ? [] : steps),
    "",
  ];
}
