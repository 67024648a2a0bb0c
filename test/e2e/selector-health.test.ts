/**
 * End to end: a run's page shows its selector health, per page type, and marks the selector that
 * matched on none of its pages.
 */
import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { loadScraper } from "../../src/pipeline/index.ts";
import { serveSite, useE2e } from "./harness.ts";

let runId: string;

const e2e = useE2e({
  prefix: "trawl-selector-health-e2e-",
  site: () =>
    serveSite((req, res) => {
      const body =
        req.url === "/list"
          ? [1, 2, 3].map((n) => `<a class="item" href="/item/${n}">${n}</a>`).join("")
          : `<h1>Item ${req.url}</h1>`; // no price: the shop moved it
      res.writeHead(200, { "content-type": "text/html" }).end(body);
    }),
  beforeServer: async ({ app, dir, site }) => {
    const file = join(dir, "shop.yaml");
    writeFileSync(
      file,
      `name: shop
start: ${site.url}/list
pages:
  list:
    follow: [{ css: a.item, page: item }]
  item:
    record: { title: h1, price: .price }
politeness: { robots: ignore, rate_per_host: 1000, retries: 0 }
`,
    );
    runId = (await app.engine.run(await loadScraper(file))).id;
  },
});

describe("selector health on the run page", () => {
  it("lists what each selector matched and marks the one that matched nothing", async () => {
    const { page, server, shot } = e2e;
    await page.goto(`${server.url}/runs/${runId}`);
    const table = page.getByTestId("selector-health");
    await table.waitFor();
    const rows = table.getByTestId("selector-row");
    expect(await rows.allTextContents()).toEqual([
      "list (1 page)follow → item a.item1 / 13 links",
      "item (3 pages)field title h13 / 33 records",
      "field price .pricenone0 records",
    ]);
    expect(await table.locator("[data-unmatched]").getByTestId("selector-matched").textContent()).toBe(
      "none",
    );
    await shot("selector-health");
  });
});
