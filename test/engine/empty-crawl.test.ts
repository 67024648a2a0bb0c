/**
 * No silent empty success, and selector health, over HTTP: a crawl whose selectors match nothing
 * fails before its steps naming the page types, pages and selectors, and leaves the dataset's
 * latest version as it was; `allow_empty: true` accepts it; a crawl parsed partly on a parse
 * thread and stopped and resumed halfway counts every page's selectors exactly once; `trawl
 * show` prints the counts.
 */
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { App, describeRun } from "../../src/app/index.ts";
import { listDatasets } from "../../src/datasets/index.ts";
import type { TrawlEvent } from "../../src/core/events.ts";
import { loadScraper } from "../../src/pipeline/index.ts";
import type { CompiledScraper } from "../../src/pipeline/types.ts";
import { runCli } from "../cli/run-cli.ts";
import { startFaultSite, type FaultRoute, type FaultSite } from "../fixtures/fault-site.ts";

/** More than the 64 pages the crawl parses itself before its parse threads start. */
const ITEMS = 90;
/** Every fourth item is on sale. */
const ON_SALE = Math.floor(ITEMS / 4);

const html =
  (body: (n: number) => string): FaultRoute =>
  (req, res) => {
    const n = Number(new URL(req.url ?? "", "http://x").searchParams.get("n") ?? 0);
    // Item pages answer after a moment, so that a run can be stopped halfway.
    setTimeout(() => {
      res.writeHead(200, { "content-type": "text/html; charset=utf-8" });
      res.end(`<!doctype html><html><body>${body(n)}</body></html>`);
    }, 5);
  };

let dir: string;
let home: string;
let site: FaultSite;
let app: App;

beforeAll(async () => {
  // One parse thread whatever the machine, so that the later pages are parsed on it.
  process.env.TRAWL_PARSE_THREADS = "1";
  dir = mkdtempSync(join(tmpdir(), "trawl-empty-"));
  home = join(dir, "home");
  site = await startFaultSite({
    routes: {
      "/shop": html(() =>
        Array.from({ length: ITEMS }, (_, i) => `<a class="item" href="/item?n=${i + 1}">${i + 1}</a>`).join(
          "",
        ),
      ),
      "/item": html(
        (n) =>
          `<h1>Item ${n}</h1><p class="price">£${n}.50</p>${n % 4 === 0 ? `<b class="sale">sale</b>` : ""}`,
      ),
    },
  });
  app = await App.open({ home });
}, 60_000);

afterAll(async () => {
  await app?.close();
  await site?.close();
  rmSync(dir, { recursive: true, force: true });
  delete process.env.TRAWL_PARSE_THREADS;
});

/** The shop scraper with its selectors replaced by `selectors`, exporting to dataset `shop`. */
async function scraper(
  name: string,
  selectors: { follow?: string; title?: string; price?: string; sale?: string },
  extra = "",
) {
  const file = join(dir, `${name}.yaml`);
  writeFileSync(
    file,
    `name: shop
start: ${site.url}/shop
pages:
  list:
    follow: [{ css: "${selectors.follow ?? "a.item"}", page: item }]
  item:
    record:
      title: "${selectors.title ?? "h1"}"
      price: { css: "${selectors.price ?? ".price"}", type: number }
      sale: "${selectors.sale ?? ".sale"}"
      url: { from: url }
politeness: { robots: ignore, rate_per_host: 10000, concurrency: 4, retries: 0 }
steps:
  - export: { dataset: shop }
${extra}`,
  );
  return loadScraper(file);
}

async function run(compiled: CompiledScraper) {
  const finished = await app.engine.run(compiled);
  const logs = (await app.store.logs.list(finished.id)).map((line) => `${line.level} ${line.message}`);
  return { finished, summary: await describeRun(app.store, finished), logs };
}

/** The version the dataset's `current` pointer names, and how many versions it has. */
async function latest(): Promise<{ current: number | null; versions: number } | undefined> {
  const shop = (await listDatasets(app.paths.datasets)).find((d) => d.name === "shop");
  return shop && { current: shop.current, versions: shop.versions.length };
}

describe("a crawl that yields nothing", () => {
  let goodRunId: string;

  it("publishes when the selectors match, counting each selector on pages parsed on both threads", async () => {
    const { finished, summary, logs } = await run(await scraper("good", {}));
    goodRunId = finished.id;
    expect(summary.status).toBe("succeeded");
    expect(summary.dataset).toEqual({ name: "shop", version: 1 });
    expect(logs.join("\n")).toMatch(/parse thread/);
    expect(summary.selectors).toEqual([
      {
        pageType: "list",
        pages: 1,
        records: 0,
        selectors: [{ kind: "follow", name: "item", selector: "a.item", pages: 1, found: ITEMS }],
      },
      {
        pageType: "item",
        pages: ITEMS,
        records: ITEMS,
        selectors: [
          { kind: "field", name: "title", selector: "h1", pages: ITEMS, found: ITEMS },
          { kind: "field", name: "price", selector: ".price", pages: ITEMS, found: ITEMS },
          { kind: "field", name: "sale", selector: ".sale", pages: ON_SALE, found: ON_SALE },
        ],
      },
    ]);
  });

  it("fails before its steps when no link was found, naming page types and selectors", async () => {
    const { finished, summary, logs } = await run(await scraper("no-links", { follow: "a.product" }));
    expect(summary.status).toBe("failed");
    expect(summary.error).toBe(
      'the crawl fetched 1 page but yielded no records: page type "list" (1 page): follow rule a.product → item ' +
        'matched nothing; page type "item": no page fetched; the steps did not run, so no dataset was published ' +
        "(allow_empty: true accepts an empty result)",
    );
    expect(summary.steps.map((s) => s.status)).toEqual(["failed", "skipped"]);
    expect(finished.datasetVersion).toBeNull();
    expect(await latest()).toEqual({ current: 1, versions: 1 });
    expect(logs).toContain(
      'warn page type "list": follow rule a.product → item matched on none of its 1 page',
    );
  });

  it("fails when every record is hollow: none of its selectors found a value", async () => {
    const { summary, logs } = await run(
      await scraper("hollow", { title: "h2", price: ".cost", sale: ".deal" }),
    );
    expect(summary.status).toBe("failed");
    expect(summary.error).toContain(
      `the crawl fetched ${ITEMS + 1} pages but yielded only records in which no selector found a value: ` +
        `page type "list" (1 page); page type "item" (${ITEMS} pages, ${ITEMS} records): field title (h2) matched ` +
        "nothing, field price (.cost) matched nothing, field sale (.deal) matched nothing",
    );
    expect(logs).toContain(
      `warn page type "item": field price (.cost) matched on none of its ${ITEMS} pages`,
    );
    expect(await latest()).toEqual({ current: 1, versions: 1 });
  });

  it("succeeds with allow_empty: true", async () => {
    const { summary } = await run(await scraper("allowed", { follow: "a.product" }, "allow_empty: true\n"));
    expect(summary).toMatchObject({ status: "succeeded", error: null, records: 0 });
  });

  it("counts every page once over a stop and a resume", async () => {
    const compiled = await scraper("resumed", {});
    const events: TrawlEvent[] = [];
    const unsubscribe = app.engine.bus.subscribe((event) => events.push(event));
    const created = await app.engine.create(compiled);
    const first = app.engine.execute(created.id, compiled);
    await new Promise<void>((resolve) => {
      const check = () => {
        if (events.filter((e) => e.type === "request.finished").length >= ITEMS / 3) resolve();
        else setTimeout(check, 5);
      };
      check();
    });
    await app.engine.stop(created.id);
    expect((await first).status).toBe("paused");
    unsubscribe();
    const halfway = (await describeRun(app.store, (await app.store.runs.get(created.id))!)).selectors;
    expect(halfway[1]!.pages).toBeGreaterThan(0);
    expect(halfway[1]!.pages).toBeLessThan(ITEMS);
    const resumed = await app.engine.execute(created.id, compiled);
    const summary = await describeRun(app.store, resumed);
    expect(summary.status).toBe("succeeded");
    const good = await describeRun(app.store, (await app.store.runs.get(goodRunId))!);
    expect(summary.selectors).toEqual(good.selectors);
  });

  it("trawl show prints selector health, and --json the same counts", async () => {
    const text = await runCli(["show", goodRunId], { home });
    expect(text.code).toBe(0);
    expect(text.stdout).toMatch(/selector health:\n/);
    expect(text.stdout).toMatch(
      new RegExp(`field sale \\(\\.sale\\)\\s+${ON_SALE}/${ITEMS}\\s+${ON_SALE} records`),
    );
    expect(text.stdout).toMatch(new RegExp(`follow rule a\\.item → item\\s+1/1\\s+${ITEMS} links`));
    const json = await runCli(["show", goodRunId, "--json"], { home });
    const good = await describeRun(app.store, (await app.store.runs.get(goodRunId))!);
    expect(JSON.parse(json.stdout).selectors).toEqual(good.selectors);
  });
});
