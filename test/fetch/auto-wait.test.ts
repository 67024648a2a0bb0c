/**
 * Auto-wait in the bundled Chromium: a shop whose list and product pages build their markup by
 * script after `load` (lists on a timer, products from fetched data, some half rendered at load)
 * is scraped completely with `engine: browser` and no `wait_for`, and its selector health says
 * what each selector matched. One run, one browser, for the whole file.
 */
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { App, describeRun, type RunSummary } from "../../src/app/index.ts";
import { loadScraper } from "../../src/pipeline/index.ts";
import { browserRoutes, LATE_PRODUCTS } from "../fixtures/browser-site.ts";
import { startFaultSite, type FaultSite } from "../fixtures/fault-site.ts";

let dir: string;
let site: FaultSite;
let app: App;
let summary: RunSummary;
let records: Record<string, unknown>[];

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), "trawl-auto-wait-"));
  site = await startFaultSite({ routes: browserRoutes().routes });
  app = await App.open({ home: join(dir, "home") });
  const file = join(dir, "late-shop.yaml");
  writeFileSync(
    file,
    `name: late-shop
start: ${site.url}/late/list?page=1
engine: browser
browser: { max_pages: 3 }
pages:
  list:
    follow:
      - { css: a.product, page: product }
      - { css: a.next, page: list }
  product:
    record:
      title: h1.title
      price: { css: .price, type: number }
politeness: { robots: ignore, rate_per_host: 100, retries: 0, timeout: 10s }
`,
  );
  const finished = await app.engine.run(await loadScraper(file));
  summary = await describeRun(app.store, finished);
  records = [];
  for await (const r of app.store.records.read(finished.id, 0)) records.push(r as Record<string, unknown>);
}, 90_000);

afterAll(async () => {
  await app?.close();
  await site?.close();
  rmSync(dir, { recursive: true, force: true });
});

describe("auto-wait on browser pages", () => {
  it("reads pages rendered by script after load without wait_for", () => {
    expect(summary.error).toBeNull();
    expect(summary.status).toBe("succeeded");
    const expected = Array.from({ length: LATE_PRODUCTS }, (_, i) => ({
      title: `Product ${i + 1}`,
      price: (i + 1) * 10 + 0.5,
    }));
    expect(records.sort((a, b) => String(a.title).localeCompare(String(b.title)))).toEqual(expected);
  });

  it("counts what each selector matched, per page type", () => {
    expect(summary.selectors).toEqual([
      {
        pageType: "list",
        pages: 2,
        records: 0,
        selectors: [
          { kind: "follow", name: "product", selector: "a.product", pages: 2, found: 6 },
          { kind: "follow", name: "list", selector: "a.next", pages: 1, found: 1 },
        ],
      },
      {
        pageType: "product",
        pages: LATE_PRODUCTS,
        records: LATE_PRODUCTS,
        selectors: [
          { kind: "field", name: "title", selector: "h1.title", pages: LATE_PRODUCTS, found: LATE_PRODUCTS },
          { kind: "field", name: "price", selector: ".price", pages: LATE_PRODUCTS, found: LATE_PRODUCTS },
        ],
      },
    ]);
  });
});
