/**
 * The ceiling of the crawl benchmark: a bare undici + cheerio (on htmlparser2) breadth-first
 * crawl of one catalogue shape, deduplicating links in an in-memory set, with no persistence, no
 * politeness, no retries. It fetches the same pages as the bench scraper, parses them with the
 * same parser (`loadHtml` of `src/extract`) and extracts the same fields and links, so the gap to
 * `trawl run` is what trawl's engine and storage cost.
 *
 * `node --import tsx bench/bare-loop.ts --origin http://127.0.0.1:PORT [--shape forward|links]
 * [--concurrency 16]` prints one JSON document on stdout: {@link BareLoopResult}.
 */
import { parseArgs } from "node:util";
import { Pool } from "undici";
import { BOOK_CATEGORIES } from "../src/demo/index.ts";
import { loadHtml, type CheerioAPI } from "../src/extract/index.ts";
import { linkCatalogueStarts } from "./link-catalogue.ts";
import type { SiteShape } from "./site-server.ts";

/** What the bare loop prints. */
export interface BareLoopResult {
  pages: number;
  records: number;
  failed: number;
  /** Seconds from the first request to the last response (process start-up excluded). */
  crawlSeconds: number;
  pagesPerSecond: number;
  /** CPU seconds of this process (user + system), start-up included. */
  cpuSeconds: number;
  /** Peak resident set size of this process, MB. */
  maxRssMb: number;
}

type PageType = "list" | "product";

interface Job {
  url: string;
  type: PageType;
}

/** Where a shape's crawl starts and which links of each page type it follows (as the bench scraper). */
interface ShapeRules {
  starts(origin: string): string[];
  follow: Record<PageType, [selector: string, type: PageType][]>;
}

const SHAPES: Record<SiteShape, ShapeRules> = {
  forward: {
    starts: (origin) => BOOK_CATEGORIES.map((category) => `${origin}/${category}/page/1`),
    follow: {
      list: [
        ["a.next", "list"],
        ["article a.title", "product"],
      ],
      product: [],
    },
  },
  links: {
    starts: linkCatalogueStarts,
    follow: {
      list: [
        ["a.next", "list"],
        ["a.product-link", "product"],
      ],
      product: [
        ["a.product-link", "product"],
        ["nav.breadcrumbs a.list", "list"],
      ],
    },
  },
};

interface Crawl {
  rules: ShapeRules;
  pool: Pool;
  seen: Set<string>;
  queue: Job[];
  pages: number;
  records: number;
  failed: number;
}

async function fetchText(pool: Pool, url: string): Promise<string | undefined> {
  const { pathname, search } = new URL(url);
  const response = await pool.request({ method: "GET", path: pathname + search });
  if (response.statusCode !== 200) {
    await response.body.dump();
    return undefined;
  }
  return response.body.text();
}

function enqueue(crawl: Crawl, href: string | undefined, base: string, type: PageType): void {
  if (href === undefined) return;
  const url = new URL(href, base);
  url.hash = "";
  const key = url.href;
  if (crawl.seen.has(key)) return;
  crawl.seen.add(key);
  crawl.queue.push({ url: key, type });
}

function follow(crawl: Crawl, $: CheerioAPI, url: string, type: PageType): void {
  for (const [selector, linkType] of crawl.rules.follow[type])
    for (const el of $(selector).toArray()) enqueue(crawl, $(el).attr("href"), url, linkType);
}

function handleProduct(crawl: Crawl, $: CheerioAPI, url: string): void {
  const price = Number.parseFloat(
    $(".price")
      .first()
      .text()
      .replace(/[^0-9.]/g, ""),
  );
  const record = {
    title: $("h1").first().text().trim(),
    price: Number.isFinite(price) ? price : null,
    sku: $("[data-sku]").first().attr("data-sku"),
    url,
  };
  if (record.title !== "" && record.price !== null) crawl.records++;
}

async function visit(crawl: Crawl, job: Job): Promise<void> {
  try {
    const html = await fetchText(crawl.pool, job.url);
    if (html === undefined) {
      crawl.failed++;
      return;
    }
    const $ = loadHtml(html);
    if (job.type === "product") handleProduct(crawl, $, job.url);
    follow(crawl, $, job.url, job.type);
    crawl.pages++;
  } catch {
    crawl.failed++;
  }
}

/** One of `concurrency` workers: takes jobs until the queue is empty and nobody can add more. */
async function worker(crawl: Crawl, busy: { count: number }, wake: Set<() => void>): Promise<void> {
  for (;;) {
    const job = crawl.queue.shift();
    if (job === undefined) {
      if (busy.count === 0) break;
      await new Promise<void>((resolve) => wake.add(resolve));
      continue;
    }
    busy.count++;
    await visit(crawl, job);
    busy.count--;
    for (const resolve of wake) resolve();
    wake.clear();
  }
  for (const resolve of wake) resolve();
  wake.clear();
}

/** Crawls the site of `shape` at `origin` and reports counts and rates. */
export async function bareCrawl(
  origin: string,
  concurrency: number,
  shape: SiteShape,
): Promise<BareLoopResult> {
  const pool = new Pool(origin, { connections: concurrency, pipelining: 1 });
  const rules = SHAPES[shape];
  const crawl: Crawl = { rules, pool, seen: new Set(), queue: [], pages: 0, records: 0, failed: 0 };
  for (const start of rules.starts(origin)) enqueue(crawl, start, origin, "list");
  const started = performance.now();
  const busy = { count: 0 };
  const wake = new Set<() => void>();
  await Promise.all(Array.from({ length: concurrency }, () => worker(crawl, busy, wake)));
  const crawlSeconds = (performance.now() - started) / 1000;
  await pool.close();
  const usage = process.resourceUsage();
  return {
    pages: crawl.pages,
    records: crawl.records,
    failed: crawl.failed,
    crawlSeconds,
    pagesPerSecond: crawl.pages / crawlSeconds,
    cpuSeconds: (usage.userCPUTime + usage.systemCPUTime) / 1e6,
    maxRssMb: usage.maxRSS / 1024,
  };
}

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      origin: { type: "string" },
      shape: { type: "string", default: "forward" },
      concurrency: { type: "string", default: "16" },
    },
  });
  if (values.origin === undefined) throw new Error("--origin is required");
  const shape = values.shape as SiteShape;
  if (!(shape in SHAPES)) throw new Error(`--shape must be forward or links, not ${shape}`);
  const result = await bareCrawl(values.origin, Number(values.concurrency), shape);
  process.stdout.write(`${JSON.stringify(result)}\n`);
}

main().catch((error: unknown) => {
  process.stderr.write(`bare loop failed: ${String(error)}\n`);
  process.exitCode = 1;
});
