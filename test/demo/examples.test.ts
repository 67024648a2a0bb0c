import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, describe, expect, it, vi } from "vitest";
import { parseDefinitionYaml } from "../../src/pipeline/load-yaml.ts";
import { compileValidated } from "../../src/pipeline/compile.ts";
import {
  bookAt,
  bookLastmod,
  copyExample,
  DEMO_PROXY_PASSWORD,
  DEMO_PROXY_PASSWORD_ENV,
  memberPicks,
  memberPrice,
  searchBooks,
  EXAMPLE_NAMES,
  FEED_SIZE,
  EXAMPLE_ORIGIN,
  examplePath,
  listCompanies,
  readExample,
  type DemoSite,
} from "../../src/demo/index.ts";
import { App, describeRun, loadScraper } from "../../src/app/index.ts";
import { startSite } from "./helpers.ts";

afterEach(() => vi.unstubAllEnvs());

describe("example scrapers", () => {
  it("are valid definitions written against the demo site's default address", async () => {
    for (const name of EXAMPLE_NAMES) {
      const text = await readExample(name);
      expect(text).toContain(`${EXAMPLE_ORIGIN}/`);
      expect(() => parseDefinitionYaml(text, examplePath(name))).not.toThrow();
    }
  });

  it("can be pointed at a demo site on another port", async () => {
    const text = await readExample("bookshop", "http://127.0.0.1:9999/");
    expect(text).not.toContain(EXAMPLE_ORIGIN);
    expect(text).toContain("start: http://127.0.0.1:9999/fiction/page/1");
    const proxied = await readExample("books-proxied", {
      url: "http://127.0.0.1:9999",
      proxyUrl: "http://127.0.0.1:9998",
    });
    expect(proxied).toContain("start: http://127.0.0.1:9999/science/page/1");
    expect(proxied).toContain("{{ env.DEMO_PROXY_PASSWORD }}@127.0.0.1:9998");
    expect(() => examplePath("../package")).toThrow(/not an example name/);
  });

  it("bookshop.yaml yields 121 products, 119 valid, 118 distinct", async () => {
    const { summary } = await runExample("bookshop", await startSite());
    expect(summary.pages).toMatchObject({ done: 6 + 60 + 6 + 61, failed: 0 });
    expect(summary.steps.map((s) => [s.name, s.records])).toEqual([
      ["crawl", 121],
      ["validate", 119],
      ["dedupe", 118],
      ["export", 118],
    ]);
    expect(summary.dataset).toEqual({ name: "books", version: 1 });
  });

  it("jobs.yaml yields every job of five companies with typed, transformed fields", async () => {
    const { summary, records, warnings } = await runExample("jobs", await startSite({ faults: false }));
    const expected = listCompanies({ seed: 1, companies: 5, faults: false }).reduce(
      (n, c) => n + c.jobCount,
      0,
    );
    expect(expected).toBe(105); // the number examples/README.md promises
    expect(summary.records).toBe(expected);
    expect(warnings).toEqual([]);
    expect(records.some((r) => r.salary_min === null)).toBe(true);
    for (const record of records) {
      expect(record.posted).toMatch(/^2026-\d{2}-\d{2}$/);
      expect(Array.isArray(record.tags)).toBe(true);
      if (record.salary_min !== null)
        expect(record.salary_max as number).toBeGreaterThan(record.salary_min as number);
      expect(record.headline).toBe(`${record.title} at ${record.company} (${record.location})`);
      expect(record).not.toHaveProperty("company_page");
    }
    expect(records.find((r) => r.company_slug === "acme")).toBeDefined();
  });

  it("books-api.yaml reads the fiction category from the JSON API, page after page", async () => {
    const { summary, records } = await runExample("books-api", await startSite());
    expect(summary.pages).toMatchObject({ done: 6, failed: 0 });
    expect(summary.steps.map((s) => [s.name, s.records])).toEqual([
      ["crawl", 60],
      ["validate", 59], // FIC-00007 has no price
      ["export", 59],
    ]);
    const options = { seed: 1, booksPerCategory: 60, faults: true };
    const book = bookAt(options, "fiction", 1);
    expect(records[0]).toEqual({
      sku: book.sku,
      title: book.title,
      author: book.author,
      price: book.price,
      in_stock: book.inStock,
      url: expect.stringMatching(new RegExp(`^http://127\\.0\\.0\\.1:\\d+/book/${book.sku}$`)),
      page: expect.stringMatching(/\/api\/books\/fiction\?page=1$/),
    });
  });

  it("bookshop-xpath.yaml reads the poetry shelf with XPath as bookshop.yaml does with CSS", async () => {
    const { summary, records } = await runExample("bookshop-xpath", await startSite());
    expect(summary.pages).toMatchObject({ done: 6 + 61, failed: 0 });
    expect(summary.steps.map((s) => [s.name, s.records])).toEqual([
      ["crawl", 61],
      ["validate", 60], // POE-00013 has no price
      ["dedupe", 60],
      ["export", 60],
    ]);
    const options = { seed: 1, booksPerCategory: 60, faults: true };
    const bySku = new Map(records.map((r) => [r.sku, r]));
    for (const index of [1, 4, 60]) {
      const book = bookAt(options, "poetry", index); // POE-00004 is a malformed page
      expect(bySku.get(book.sku)).toMatchObject({
        title: book.title,
        author: book.author,
        price: book.price,
        rating: book.rating,
        in_stock: book.inStock,
      });
    }
  });

  it("books-sitemap.yaml reads the poetry books the sitemap index lists, with their lastmod", async () => {
    const { summary, records } = await runExample("books-sitemap", await startSite());
    // The index, four category sitemaps, 60 poetry books.
    expect(summary.pages).toMatchObject({ done: 1 + 4 + 60, failed: 0 });
    expect(summary.steps.map((s) => [s.name, s.records])).toEqual([
      ["crawl", 60],
      ["validate", 59], // POE-00013 has no price
      ["export", 59],
    ]);
    const book = bookAt({ seed: 1, booksPerCategory: 60, faults: true }, "poetry", 5);
    expect(records.find((r) => r.sku === book.sku)).toEqual({
      sku: book.sku,
      title: book.title,
      price: book.price,
      updated: bookLastmod(5),
      url: expect.stringMatching(new RegExp(`/book/${book.sku}$`)),
    });
  });

  it("books-feed.yaml reads the RSS feed's items by XPath", async () => {
    const { summary, records } = await runExample("books-feed", await startSite());
    expect(summary.pages).toMatchObject({ done: 1, failed: 0 });
    const options = { seed: 1, booksPerCategory: 60, faults: true };
    expect(records).toEqual(
      Array.from({ length: FEED_SIZE }, (_, i) => {
        const book = bookAt(options, "fiction", i + 1);
        return {
          sku: book.sku,
          title: book.title,
          author: book.author,
          published: `${bookLastmod(i + 1)}T09:00:00.000Z`,
          url: expect.stringMatching(new RegExp(`^http://127\\.0\\.0\\.1:\\d+/book/${book.sku}$`)),
          feed: "New fiction",
        };
      }),
    );
  });

  it("books-wishlist.yaml reads the books its CSV lists, copied with the CSV for another port", async () => {
    const site = await startSite();
    const home = mkdtempSync(join(tmpdir(), "trawl-example-"));
    const app = await App.open({ home: join(home, "home") });
    try {
      const scraper = await loadScraper(await copyExample("books-wishlist", site.url, home));
      const run = await app.engine.run(scraper);
      expect(run).toMatchObject({ status: "succeeded", datasetName: "wishlist", datasetVersion: 1 });
      const records: Record<string, unknown>[] = [];
      for await (const record of app.store.records.read(run.id, 1))
        records.push(record as Record<string, unknown>);
      const options = { seed: 1, booksPerCategory: 60, faults: true };
      records.sort((a, b) => String(a.sku).localeCompare(String(b.sku)));
      const listed = [
        bookAt(options, "fiction", 1),
        bookAt(options, "fiction", 2),
        bookAt(options, "history", 1),
        bookAt(options, "poetry", 5),
        bookAt(options, "science", 3),
      ];
      expect(records).toEqual(
        listed.map((book) => ({
          title: book.title,
          price: book.price,
          sku: book.sku,
          url: `${site.url}/book/${book.sku}`,
        })),
      );
    } finally {
      await app.close();
      rmSync(home, { recursive: true, force: true });
    }
  });

  it("books-search.yaml POSTs the search form twice and reads the books each search found", async () => {
    const { summary, records } = await runExample("books-search", await startSite());
    const options = { seed: 1, booksPerCategory: 60, faults: true };
    const found = [...searchBooks(options, "glass"), ...searchBooks(options, "paper", "poetry")];
    expect(found.length).toBeGreaterThan(3);
    expect(summary.pages).toMatchObject({ done: 2 + found.length, failed: 0 });
    expect(records.map((r) => r.sku).sort()).toEqual(found.map((b) => b.sku).sort());
  });

  it("books-members.yaml sends the member key, a language and a cookie to the page that wants them", async () => {
    const site = await startSite();
    const denied = await fetch(`${site.url}/members/picks`);
    expect(denied.status).toBe(401); // without the key
    await denied.text();
    const { summary, records } = await runExample("books-members", site);
    expect(summary.pages).toMatchObject({ done: 1, failed: 0 });
    expect(summary.records).toBe(10);
    const options = { seed: 1, booksPerCategory: 60, faults: true };
    expect(records).toEqual(
      memberPicks(options, "poetry").map((book) => ({
        sku: book.sku, // the cookie chose poetry
        title: book.title,
        member_price: memberPrice(book),
        label: "Prix membre", // Accept-Language: fr
      })),
    );
  });

  it("books-proxied.yaml goes through the demo's proxy, its password from the environment", async () => {
    const site = await startSite();
    vi.stubEnv(DEMO_PROXY_PASSWORD_ENV, DEMO_PROXY_PASSWORD);
    const { summary, records, logs } = await runExample("books-proxied", site);
    // The first list page and its 10 books, all through the proxy, which refuses to go elsewhere.
    expect(summary.pages).toMatchObject({ done: 11, failed: 0 });
    expect(summary.stats.proxies).toEqual({ [site.proxyUrl]: { requests: 11, failures: {} } });
    expect(site.stats().proxied).toBeGreaterThan(0);
    const options = { seed: 1, booksPerCategory: 60, faults: true };
    expect(records.map((r) => r.sku).sort()).toEqual(
      Array.from({ length: 10 }, (_, i) => bookAt(options, "science", i + 1).sku).sort(),
    );
    expect(JSON.stringify({ summary, logs })).not.toContain(DEMO_PROXY_PASSWORD);
  });

  it("books-revisit.yaml fetches 66 pages in full, then gets 66 answers 304 and the same records", async () => {
    const [first, second] = await runExampleTimes(2, "books-revisit", await startSite());
    expect(first!.summary.pages).toMatchObject({ done: 6 + 60, failed: 0 });
    expect(first!.summary.stats.notModified).toBeUndefined();
    expect(second!.summary.stats).toMatchObject({ notModified: 6 + 60, statusCodes: { "304": 66 } });
    expect(second!.summary.stats.bytes).toBe(0);
    expect(second!.records).toEqual(first!.records);
    expect(first!.records).toHaveLength(60);
  });

  it("parse threads give exactly the records and warnings of the crawl's own thread", async () => {
    // 132 pages: the first 64 are parsed on the crawl's thread, the rest on the parse thread.
    const site = await startSite({ faults: false });
    const inline = await runExample("bookshop", site, { parseThreads: 0 });
    const threaded = await runExample("bookshop", site, { parseThreads: 1 });
    expect(threaded.summary.pages.done).toBe(132);
    expect(threaded.logs.some((m) => m.includes("on 1 parse thread"))).toBe(true);
    expect(inline.logs.some((m) => m.includes("parse thread"))).toBe(false);
    expect(threaded.records).toEqual(inline.records);
    expect(threaded.warnings.sort()).toEqual(inline.warnings.sort());
    const counts = (run: typeof inline) => run.summary.steps.map((s) => [s.name, s.records]);
    expect(counts(threaded)).toEqual(counts(inline));
  });
});

/**
 * Runs an example through the real engine against `site` (and its proxy), at a faster pace than
 * the example's own (the examples are polite on purpose; the test need not wait).
 */
async function runExample(name: string, site: DemoSite, options: { parseThreads?: number } = {}) {
  return (await runExampleTimes(1, name, site, options))[0]!;
}

/** Runs an example `times` times in one data directory (a revisit); returns each run's outcome. */
async function runExampleTimes(
  times: number,
  name: string,
  site: DemoSite,
  options: { parseThreads?: number } = {},
) {
  const definition = parseDefinitionYaml(await readExample(name, site), `${name}.yaml`);
  const scraper = compileValidated({
    ...definition,
    politeness: { ...definition.politeness, rate_per_host: 1000 },
  });
  const home = mkdtempSync(join(tmpdir(), "trawl-example-"));
  const app = await App.open({ home, ...options });
  try {
    const outcomes = [];
    for (let i = 0; i < times; i++) {
      const run = await app.engine.run(scraper);
      const summary = await describeRun(app.store, run);
      const records: Record<string, unknown>[] = [];
      for await (const record of app.store.records.read(run.id, summary.steps.length - 1)) {
        records.push(record as Record<string, unknown>);
      }
      const logs = await app.store.logs.list(run.id);
      const warnings = logs.filter((l) => l.level === "warn").map((l) => l.message);
      outcomes.push({ summary, records, warnings, logs: logs.map((l) => l.message) });
    }
    return outcomes;
  } finally {
    await app.close();
    rmSync(home, { recursive: true, force: true });
  }
}
