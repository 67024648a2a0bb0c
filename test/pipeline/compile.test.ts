import { describe, expect, it } from "vitest";
import { mkdirSync, rmSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { compileDefinition, loadScraper } from "../../src/pipeline/compile.ts";
import { DefinitionError, DefinitionLoadError } from "../../src/pipeline/errors.ts";
import type { ScrapedRecord } from "../../src/core/index.ts";
import { page, stepContext, stream, testContext } from "./helpers.ts";

const fixture = (name: string) => fileURLToPath(new URL(`fixtures/${name}`, import.meta.url));

const listHtml = `<html><body>
  <article><a class="title" href="/book/1">One</a></article>
  <article><a class="title" href="../book/2">Two</a></article>
  <a class="next" href="/fiction/page/2">next</a></body></html>`;

const productHtml = `<html><body><h1> Dune </h1><p class="price">£1,234.50</p>
  <div data-sku="D-1"></div></body></html>`;

describe("the bookshop definition", () => {
  it("compiles with targets, start page, defaults and steps", async () => {
    const scraper = await loadScraper(fixture("bookshop.yaml"));
    expect(scraper.name).toBe("bookshop");
    expect(scraper.source).toBe(fixture("bookshop.yaml"));
    expect(scraper.hash).toMatch(/^[0-9a-f]{64}$/);
    expect(scraper.targets).toEqual([
      { name: "fiction", start: ["http://127.0.0.1:8080/fiction/page/1"] },
      { name: "poetry", start: ["http://127.0.0.1:8080/poetry/page/1"] },
    ]);
    expect(scraper.startPage).toBe("list");
    expect(scraper.steps.map((s) => `${s.name}/${s.kind}`)).toEqual([
      "validate/validate",
      "dedupe/dedupe",
      "export/export",
    ]);
    expect(scraper.limits).toEqual({ maxUrlLength: 2048 });
    expect(scraper.politeness).toEqual({
      concurrency: 8,
      ratePerHost: 10,
      minRatePerHost: 1,
      maxRatePerHost: 10,
      obeyRobots: true,
      userAgent: "trawl/0.1 (+https://github.com/trawl)",
      timeoutMs: 30_000,
      retries: 3,
      retryStatuses: [408, 429, 500, 502, 503, 504, 507, 520, 521, 522, 523, 524],
      maxBodyBytes: 10 * 1024 * 1024,
      maxRedirects: 10,
    });
  });

  it("parses list pages into links and product pages into records", async () => {
    const scraper = await loadScraper(fixture("bookshop.yaml"));
    const ctx = testContext();
    const list = await scraper.pages.list!.parse(page("http://127.0.0.1:8080/fiction/page/1", listHtml), ctx);
    expect(list).toEqual({
      records: [],
      links: [
        { url: "http://127.0.0.1:8080/fiction/page/2", page: "list" },
        { url: "http://127.0.0.1:8080/book/1", page: "product" },
        { url: "http://127.0.0.1:8080/fiction/book/2", page: "product" },
      ],
      // Per selector (selector health): a.next found 1 link, article a.title 2.
      matches: [1, 2],
    });
    const url = "http://127.0.0.1:8080/book/1";
    const product = await scraper.pages.product!.parse(page(url, productHtml, { pageType: "product" }), ctx);
    expect(product).toEqual({
      records: [{ title: "Dune", price: 1234.5, sku: "D-1", url }],
      links: [],
      matches: [1, 1, 1],
    });
  });

  it("gives the same output every time for malformed HTML", async () => {
    const scraper = await loadScraper(fixture("bookshop.yaml"));
    const broken = `<h1>Dune <b>Messiah</h1><p class=price>£9.99<div data-sku="X">
      <article><a class="title" href="/b/1">x</article></a><a class=next href=/p/2>`;
    const results = [];
    for (let i = 0; i < 3; i++) {
      const p = page("http://h.test/b", broken);
      results.push([
        await scraper.pages.product!.parse(p, testContext()),
        await scraper.pages.list!.parse(p, testContext()),
      ]);
    }
    expect(results[0]![0]!.records).toEqual([
      { title: "Dune Messiah", price: 9.99, sku: "X", url: "http://h.test/b" },
    ]);
    expect(results[1]).toEqual(results[0]);
    expect(results[2]).toEqual(results[0]);
  });

  it("runs validate → dedupe → export over a stream", async () => {
    const scraper = await loadScraper(fixture("bookshop.yaml"));
    const ctx = stepContext();
    let records: ScrapedRecord[] = [
      { title: "A", price: 1, sku: "a" },
      { title: null, price: 2, sku: "b" },
      { title: "A again", price: 1, sku: "a" },
      { title: "C", price: 3, sku: "c" },
    ];
    const results = [];
    for (const step of scraper.steps) {
      const out: ScrapedRecord[] = [];
      results.push(await step.run(stream(records), (r) => out.push(r), ctx));
      records = out;
    }
    expect(results).toEqual([{ dropped: 1 }, { dropped: 1 }, { dataset: { name: "books", version: 1 } }]);
    expect(ctx.published.books!.map((r) => r.sku)).toEqual(["a", "c"]);
    expect(records).toHaveLength(2);
    expect(ctx.lines).toEqual([
      'warn: validate: dropped a record: missing required field "title" (record 2, price 2)',
      'info: dedupe: dropped a record: same sku "a" as record 1 (record 2, title "A again")',
    ]);
  });
});

describe("records: each, and follow by pattern", () => {
  const scraper = compileDefinition({
    name: "cards",
    start: "http://h.test/",
    pages: {
      list: {
        follow: [{ pattern: "/p/\\d+$", page: "list" }],
        records: {
          each: "li.card",
          fields: {
            name: "b",
            href: { css: "a", attr: "href", type: "url" },
            id: { attr: "data-id", type: "integer" },
          },
        },
      },
    },
  });

  it("yields one record per element with relative selectors and pattern links", async () => {
    const html = `<base href="http://cdn.test/x/"><ul><li class="card" data-id="1"><b>A</b><a href="p/1">a</a></li>
      <li class="card" data-id="two"><b>B</b><a href="/q">b</a></li></ul>`;
    const ctx = testContext();
    const out = await scraper.pages.list!.parse(page("http://h.test/", html), ctx);
    expect(out.records).toEqual([
      { name: "A", href: "http://cdn.test/x/p/1", id: 1 },
      { name: "B", href: "http://cdn.test/q", id: null },
    ]);
    expect(out.links).toEqual([{ url: "http://cdn.test/x/p/1", page: "list" }]);
    expect(out.warnings).toBe(1);
    expect(ctx.lines).toEqual(['warn: http://h.test/: field "id": cannot convert "two" to integer']);
  });
});

describe("TypeScript definitions", () => {
  it("picks up an edited definition whose registerStep runs again (a long-running serve or scheduler)", async () => {
    const dir = fileURLToPath(new URL("../../test-artifacts/reload/", import.meta.url));
    mkdirSync(dir, { recursive: true });
    const file = join(dir, `reloaded-${process.pid}.ts`);
    const version = (tag: string) => `import { defineScraper, registerStep } from "trawl";
registerStep("reload-test", () => ({
  name: "reload-test",
  kind: "reload-test",
  async run(input, emit) {
    for await (const record of input) emit({ ...record, tag: "${tag}" });
  },
}));
export default defineScraper({
  name: "reloaded",
  start: "http://127.0.0.1:9/",
  pages: { page: { record: { title: "h1" } } },
  steps: [{ "reload-test": {} }],
});
`;
    const tagOf = async (scraper: Awaited<ReturnType<typeof loadScraper>>) => {
      const out: ScrapedRecord[] = [];
      await scraper.steps[0]!.run(stream([{ title: "t" }]), (r) => out.push(r), stepContext());
      return out[0]!.tag;
    };
    try {
      writeFileSync(file, version("one"));
      expect(await tagOf(await loadScraper(file))).toBe("one");
      writeFileSync(file, version("two"));
      expect(await tagOf(await loadScraper(file))).toBe("two");
    } finally {
      rmSync(file, { force: true });
    }
  });

  it("loads a defineScraper module and runs its parse hook after the declared fields", async () => {
    const scraper = await loadScraper(fixture("hooked.ts"));
    expect(scraper.targets).toEqual([
      { name: "hooked", start: ["http://127.0.0.1:8080/", "http://127.0.0.1:8080/other"] },
    ]);
    expect(scraper.limits).toEqual({ maxUrlLength: 2048, maxPages: 50, maxRuntimeMs: 600_000 });
    expect(scraper.politeness).toMatchObject({
      ratePerHost: 4,
      minRatePerHost: 1,
      maxRatePerHost: 8,
      obeyRobots: false,
      timeoutMs: 5000,
      maxBodyBytes: 1024 * 1024,
    });
    const ctx = testContext();
    await scraper.setup!(ctx);
    expect(ctx.lines).toEqual(["info: setup ran"]);
    const home = await scraper.pages.home!.parse(
      page("http://h.test/", `<li class=tag>x</li><li class=tag>y</li><a href="/item/7">i</a>`),
      ctx,
    );
    expect(home).toEqual({
      records: [{ tag: "x" }, { tag: "y" }],
      links: [
        { url: "http://h.test/item/7", page: "item" },
        { url: "http://h.test/special", page: "item" },
      ],
      // The follow rule's pattern found one link; the hook's link is its own.
      matches: [1],
    });
    const item = await scraper.pages.item!.parse(page("http://h.test/item/7", "<h1>Seven</h1>"), ctx);
    expect(item.records).toEqual([{ title: "Seven" }, { from_hook: "http://h.test/item/7" }]);
  });

  it("reports problems of code definitions with their field path", async () => {
    const error = await loadScraper(fixture("invalid-code.ts")).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(DefinitionError);
    const paths = (error as DefinitionError).problems.map((p) => p.path);
    expect(paths).toEqual(["name", "pages.home.record.title.kind"]);
  });

  it("rejects a module without a default export, and a missing file", async () => {
    const error = await loadScraper(fixture("no-default.ts")).catch((e: unknown) => e);
    expect((error as DefinitionError).problems[0]!.message).toContain("no default export");
    await expect(loadScraper(fixture("missing.yaml"))).rejects.toBeInstanceOf(DefinitionLoadError);
  });
});
