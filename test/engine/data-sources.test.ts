/**
 * Crawls of sources other than CSS-scraped HTML, against the fixture site: an HTML catalogue read
 * only by XPath, and (below) a paginated JSON API read by JSONPath.
 */
import { describe, expect, it } from "vitest";
import { describeRun, replayRun } from "../../src/app/index.ts";
import { API_ITEMS, XPATH_PRODUCTS } from "../fixtures/data-routes.ts";
import { useSiteApp } from "./site-app.ts";

const t = useSiteApp("trawl-sources-");

/** Runs a definition (its text, `SITE` standing for the fixture site) and reads its crawl's records. */
async function crawl(name: string, yaml: string) {
  const run = await t.app.engine.run(await t.scraper(name, yaml));
  return { run, records: await t.records(run.id), summary: await describeRun(t.app.store, run) };
}

const XPATH_SHOP = `name: xpath-shop
start: SITE/xpath/list?page=1
pages:
  list:
    follow:
      - { xpath: "//a[@rel='next']/@href", page: list }
      - { xpath: "//div[@class='product']/a", page: item }
  item:
    record:
      id: { xpath: "substring-after(//th[.='SKU']/following-sibling::td, '-')", type: integer }
      name: { xpath: "//h1/text()" }
      sku: { xpath: "//th[.='SKU']/following-sibling::td" }
      price: { xpath: "//th[.='Price']/following-sibling::td", attr: data-amount, type: number }
      tags: { xpath: "//ul[@class='tags']/li/text()", all: true }
politeness: { rate_per_host: 1000, robots: ignore }
`;

describe("XPath fields and follow rules", () => {
  it("crawl a catalogue read only by XPath to the exact records, with XPath in selector health", async () => {
    const { run, records, summary } = await crawl("xpath-shop", XPATH_SHOP);
    expect(run.status).toBe("succeeded");
    expect(records.sort((a, b) => (a.id as number) - (b.id as number))).toEqual(
      XPATH_PRODUCTS.map((p) => ({ id: p.id, name: p.name, sku: p.sku, price: p.price, tags: [...p.tags] })),
    );
    expect(summary.pages).toMatchObject({ done: 5, failed: 0 });
    const health = Object.fromEntries(summary.selectors.map((h) => [h.pageType, h.selectors]));
    expect(health.list).toEqual([
      { kind: "follow", name: "list", selector: "//a[@rel='next']/@href", pages: 1, found: 1 },
      { kind: "follow", name: "item", selector: "//div[@class='product']/a", pages: 2, found: 3 },
    ]);
    expect(health.item).toContainEqual({
      kind: "field",
      name: "sku",
      selector: "//th[.='SKU']/following-sibling::td",
      pages: 3,
      found: 3,
    });
    // Oar has no tags: its `all` field found nothing.
    expect(health.item).toContainEqual(expect.objectContaining({ name: "tags", pages: 2, found: 2 }));
  });
});

const JSON_API = `name: json-api
start: START
pages:
  api:
    format: json
    follow:
      - { json: "$.next", page: api }
    records:
      each: { json: "$.items[*]" }
      fields:
        id: { json: "$.id" }
        title: { json: "$.title" }
        price: { json: "$.price", type: number }
        tags: { json: "$.tags[*]", all: true }
        url: { json: "$.links.self", type: url }
politeness: { rate_per_host: 1000, robots: ignore }
`;

describe("JSON sources", () => {
  it("crawl a paginated API by its next field to the exact records, with JSONPath in selector health", async () => {
    const { run, records, summary } = await crawl(
      "json-api",
      JSON_API.replace("START", "SITE/api/items?page=1"),
    );
    expect(run.status).toBe("succeeded");
    expect(records.sort((a, b) => (a.id as number) - (b.id as number))).toEqual(
      API_ITEMS.map((item) => ({
        id: item.id,
        title: item.title,
        price: Number(item.price.slice(1)),
        tags: [...item.tags],
        url: `${t.site.url}/api/items/${item.id}`,
      })),
    );
    expect(summary.pages).toMatchObject({ done: 3, failed: 0 });
    expect(t.site.hits("/api/items?page=4")).toBe(0); // page 3's next is null
    const [health] = summary.selectors;
    expect(health).toMatchObject({ pageType: "api", pages: 3, records: 6 });
    expect(health!.selectors).toContainEqual({
      kind: "each",
      name: "each",
      selector: "$.items[*]",
      pages: 3,
      found: 6,
    });
    expect(health!.selectors).toContainEqual({
      kind: "follow",
      name: "api",
      selector: "$.next",
      pages: 2,
      found: 2,
    });
  });

  it("fail a page whose body is not JSON with reason not_json, and go on", async () => {
    const { run, records, summary } = await crawl(
      "json-broken",
      JSON_API.replace("START", "[SITE/api/not-json, SITE/api/items?page=3]"),
    );
    expect(run.status).toBe("succeeded");
    expect(records.map((r) => r.id).sort()).toEqual([5, 6]);
    expect(summary.errors.map((e) => [e.reason, e.count])).toEqual([["not_json", 1]]);
    const warnings = (await t.app.store.logs.list(run.id, { level: "warn" })).map((l) => l.message);
    expect(warnings.some((m) => m.includes("/api/not-json") && m.includes("not_json"))).toBe(true);
  });

  it("paginate by a URL template until a page yields no records", async () => {
    const yaml = JSON_API.replace("START", "SITE/api/items?page=1").replace(
      '- { json: "$.next", page: api }',
      '- { template: "items?page={page}", page: api }',
    );
    const { run, records, summary } = await crawl("json-template", yaml);
    expect(run.status).toBe("succeeded");
    expect(records.map((r) => r.id).sort()).toEqual(API_ITEMS.map((item) => item.id));
    expect(summary.pages).toMatchObject({ done: 4, failed: 0 }); // page 4 is empty: the end
    expect(t.site.hits("/api/items?page=4")).toBe(1);
    expect(t.site.hits("/api/items?page=5")).toBe(0);
    expect(summary.selectors[0]!.selectors).toContainEqual({
      kind: "follow",
      name: "api",
      selector: "items?page={page}",
      pages: 3,
      found: 3,
    });
  });
});

describe("recordings of JSON and XPath crawls", () => {
  it.each([
    ["json", JSON_API.replace("START", "SITE/api/items?page=1"), 6],
    ["xpath", XPATH_SHOP, 3],
  ])("replay offline to exactly the recorded records, fetching nothing (%s)", async (name, yaml, count) => {
    const scraper = await t.scraper(`${name}-recorded`, yaml);
    const run = await t.app.engine.create(scraper, { record: true });
    expect((await t.app.engine.execute(run.id, scraper)).status).toBe("succeeded");
    const hits = t.site.log().length;
    const report = await replayRun(t.app, run.id);
    expect(report).toMatchObject({
      status: "succeeded",
      identical: true,
      missing: [],
      counts: { recorded: count, replayed: count },
    });
    expect(t.site.log().length).toBe(hits);
  });
});
