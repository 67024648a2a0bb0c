/**
 * End to end: the run page's records table in a real headless Chromium. Search, sort (from the
 * keyboard) and filters act on all of a run's records on the server, the range says how many
 * match, pages follow the cursor, downloads carry the query; and the table follows a live run.
 * A real server and store; the live run crawls the fault site.
 */
import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { publishDataset } from "../../src/datasets/index.ts";
import { loadScraper } from "../../src/pipeline/index.ts";
import { startFaultSite } from "../fixtures/fault-site.ts";
import { useE2e } from "./harness.ts";

/** Answers the held `/gate` page of the live run. */
let openGate: () => void = () => undefined;

const e2e = useE2e({
  prefix: "trawl-records-",
  site: () =>
    startFaultSite({
      routes: {
        "/index": (_req, res) => {
          const paths = [...Array.from({ length: 6 }, (_, i) => `/item?n=${i}`), "/gate"];
          res.writeHead(200, { "content-type": "text/html; charset=utf-8" });
          res.end(paths.map((p) => `<a href="${p}">${p}</a>`).join(""));
        },
        "/item": (req, res) => {
          res.writeHead(200, { "content-type": "text/html; charset=utf-8" });
          res.end(`<h1>Item ${new URL(req.url ?? "/", "http://x").searchParams.get("n")}</h1>`);
        },
        "/gate": (_req, res) => {
          openGate = () => {
            openGate = () => undefined;
            res.writeHead(200, { "content-type": "text/html; charset=utf-8" });
            res.end("<h1>Item gate</h1>");
          };
        },
      },
    }),
  page: { locale: "en-US" },
  beforeClose: () => openGate(),
});

const range = () => e2e.page.getByTestId("records-range").textContent();
const column = (field: string) => e2e.page.locator(`[data-testid="records-column"][data-field="${field}"]`);
const firstCell = async (field: string) => {
  const { page } = e2e;
  const fields = await page
    .getByTestId("records-column")
    .evaluateAll((ths) => ths.map((th) => th.dataset.field));
  return page.getByTestId("record-row").first().locator("td").nth(fields.indexOf(field)).textContent();
};

/** 105 finished records: 35 in each city, 2 more mention BERLIN; the highest salary is record 100's. */
async function seededRun(): Promise<string> {
  const { app } = e2e;
  const run = await app.store.runs.create(
    {
      scraper: "jobs",
      source: null,
      definitionHash: "x",
      targets: ["a"],
      steps: [{ name: "crawl", kind: "crawl" }],
      breakpoints: [],
    },
    Date.now(),
  );
  const records = Array.from({ length: 105 }, (_, i) => ({
    title: i === 1 || i === 4 ? `Remote from BERLIN ${i}` : `Engineer ${i}`,
    city: ["Berlin", "Paris", "Lisbon"][i % 3],
    salary: i === 100 ? 99_999 : 10_000 + i * 10,
  }));
  await app.store.records.append(run.id, 0, records, 0);
  await app.store.runs.update(run.id, { status: "succeeded" });
  return run.id;
}

describe("the run page's records", () => {
  it("searches, sorts and filters all records on the server and says how many match", async () => {
    const { server, page } = e2e;
    const id = await seededRun();
    await page.goto(`${server.url}/runs/${id}`);
    await expect.poll(range, { timeout: 15_000 }).toBe("1–50 of 105");

    await page.getByTestId("records-search").fill("berlin");
    await expect.poll(range).toBe("1–37 of 37 matching");
    expect(await page.getByTestId("record-row").count()).toBe(37);
    await page.getByTestId("records-search").fill("");
    await expect.poll(range).toBe("1–50 of 105");

    // The header is a button: Tab to it, Enter sorts ascending, again descending, over all 105.
    await column("salary").getByRole("button").focus();
    await page.keyboard.press("Enter");
    await expect.poll(() => column("salary").getAttribute("aria-sort")).toBe("ascending");
    await page.keyboard.press("Enter");
    await expect.poll(() => column("salary").getAttribute("aria-sort")).toBe("descending");
    await expect.poll(() => firstCell("salary")).toBe("99999");
    await page.getByTestId("records-next").click();
    await expect.poll(range).toBe("51–100 of 105");
    expect(await firstCell("salary")).toBe(String(10_000 + 54 * 10)); // 99999, then 104 … 55, then 54
    await page.getByTestId("records-prev").click();
    await expect.poll(range).toBe("1–50 of 105");
    expect(await firstCell("salary")).toBe("99999");

    await page.getByTestId("records-filter-field").selectOption("city");
    await page.getByTestId("records-filter-op").selectOption("eq");
    await page.getByTestId("records-filter-value").fill("Paris");
    await page.getByTestId("records-filter-add").click();
    await expect.poll(range).toBe("1–35 of 35 matching");
    expect(await firstCell("salary")).toBe("99999"); // still sorted: record 100 is in Paris
    const csv = await page.getByTestId("records-download-csv").getAttribute("href");
    expect(csv).toBe(`/api/runs/${id}/records.csv?sort=salary&order=desc&filter=city%3Aeq%3AParis`);
    const download = await e2e.fetch(csv!);
    expect(download.headers.get("content-disposition")).toBe(`attachment; filename="${id}-records.csv"`);
    expect((await download.text()).trimEnd().split("\n")).toHaveLength(36);
    await page.getByTestId("records-filter-remove").click();
    await expect.poll(range).toBe("1–50 of 105");
  }, 60_000);

  it("explores a published dataset version the same way", async () => {
    const { app, server, page } = e2e;
    await publishDataset({
      root: app.paths.datasets,
      name: "kept",
      runId: "RUN-20200101-000000", // a run this database never had: read from the version's file
      scraper: "jobs",
      records: Array.from({ length: 60 }, (_, i) => ({ title: `Job ${i}`, city: i % 4 ? "Lisbon" : "Oslo" })),
    });
    await page.goto(`${server.url}/datasets`);
    await page.getByTestId("dataset-browse").click();
    await expect.poll(range, { timeout: 15_000 }).toBe("1–50 of 60");
    await page.getByTestId("records-search").fill("oslo");
    await expect.poll(range).toBe("1–15 of 15 matching");
    await column("title").getByRole("button").click();
    await column("title").getByRole("button").click();
    await expect.poll(() => firstCell("title")).toBe("Job 8"); // text order, descending
  }, 60_000);

  it("follows a live run: new records join the current query without a reload", async () => {
    const { dir, app, server, site, page } = e2e;
    const file = join(dir, "live.yaml");
    writeFileSync(
      file,
      `name: live
start: ${site.url}/index
pages:
  index: { follow: [{ pattern: ".*", page: leaf }] }
  leaf: { record: { title: h1 } }
politeness: { rate_per_host: 1000, retries: 0, concurrency: 4 }
`,
    );
    const scraper = await loadScraper(file);
    const run = await app.engine.create(scraper);
    const finished = app.engine.execute(run.id, scraper);
    await expect.poll(() => site.hits("/gate"), { timeout: 15_000 }).toBe(1);
    await page.goto(`${server.url}/runs/${run.id}`);
    await page.getByTestId("records-search").fill("item");
    await expect.poll(range, { timeout: 15_000 }).toBe("1–6 of 6 matching");
    openGate();
    expect((await finished).status).toBe("succeeded");
    await expect.poll(range, { timeout: 15_000 }).toBe("1–7 of 7 matching");
  }, 60_000);
});
