/**
 * End to end (issue 11, items 3 and 10): a failed or cancelled run's page shows why its records
 * are not compared, never a record diff; the Compare page marks what differs in a changed field.
 * The built web app in headless Chromium against a real server, engine, SQLite store and site.
 */
import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import { loadScraper } from "../../src/pipeline/index.ts";
import { serveSite, useE2e } from "./harness.ts";
import { HeldAnswers } from "./held-answers.ts";

const titles = new Map<string, string>();
/** Item pages (but the first) wait here while held: a run can be cancelled in the middle of its crawl. */
const held = new HeldAnswers();

/** `/list` links to four items; `/item/N` is one record, titled from `titles`. */
const startSite = () =>
  serveSite((req, res) => {
    const [, kind, n] = (req.url ?? "/").split("/");
    if (kind === "list") {
      const links = [0, 1, 2, 3].map((i) => `<a class="item" href="/item/${i}">${i}</a>`);
      res.writeHead(200, { "content-type": "text/html" }).end(links.join(""));
      return;
    }
    const answer = () =>
      res
        .writeHead(200, { "content-type": "text/html" })
        .end(`<h1>${titles.get(n!) ?? `Item ${n}`}</h1><p class="sku">sku-${n}</p><p class="price">9.50</p>`);
    if (n === "0") answer();
    else held.answer(answer);
  });

const e2e = useE2e({
  prefix: "trawl-e2e-changes-",
  site: startSite,
  scraperFolder: true,
  server: { scheduler: false },
});

/** A scraper of the site (or of `origin`) keyed by sku. */
function writeScraper(name: string, origin = e2e.site.url): string {
  const file = join(e2e.dir, `${name}.yaml`);
  writeFileSync(
    file,
    [
      "name: shop",
      `start: "${origin}/list"`,
      "pages:",
      "  list:",
      '    follow: [{ css: "a.item", page: item }]',
      "  item:",
      "    record: { title: h1, sku: .sku, price: .price }",
      "politeness: { robots: ignore, rate_per_host: 1000, retries: 0 }",
      "key: sku",
      "",
    ].join("\n"),
  );
  return file;
}

const run = async (file: string) => (await e2e.app.engine.run(await loadScraper(file))).id;

async function expectNotCompared(runId: string, reason: string): Promise<void> {
  const { server, page } = e2e;
  await page.goto(`${server.url}/runs/${runId}`);
  const notice = page.getByTestId("changes-not-compared");
  await notice.waitFor({ timeout: 15_000 });
  expect(await notice.textContent()).toContain(reason);
  expect(await page.getByTestId("record-diff").count()).toBe(0);
  expect(await page.getByTestId("diff-removed-count").count()).toBe(0);
}

let first = "";

beforeAll(async () => {
  first = await run(writeScraper("shop"));
});

describe("changes in the web app", () => {
  it("a failed and a cancelled run show why they are not compared, and no record diff", async () => {
    const { app, page, shot } = e2e;
    // Nothing listens on port 9 of loopback (discard): every request of this run fails.
    const failed = await run(writeScraper("down", "http://127.0.0.1:9"));
    expect((await app.store.runs.get(failed))?.status).toBe("failed");
    await expectNotCompared(failed, "This run failed: its records are not compared.");
    await shot("changes-failed");

    held.hold();
    const scraper = await loadScraper(writeScraper("shop"));
    const cancelled = await app.engine.create(scraper);
    const execution = app.engine.execute(cancelled.id, scraper);
    for (let i = 0; i < 400 && (await app.store.records.count(cancelled.id, 0)) === 0; i++)
      await new Promise((resolve) => setTimeout(resolve, 25));
    await app.engine.cancel(cancelled.id);
    held.letThrough();
    await execution;
    await expectNotCompared(cancelled.id, "This run was cancelled: its records are not compared.");
    expect(await page.getByTestId("changes-compare-anyway").getAttribute("href")).toBe(
      `/compare?a=${first}&b=${cancelled.id}`,
    );
  }, 60_000);

  it("the Compare page marks the changed part of a changed field", async () => {
    const { server, page, shot } = e2e;
    titles.set("2", "Item 2, second edition");
    const second = await run(writeScraper("shop"));
    await page.goto(`${server.url}/compare?a=${first}&b=${second}`);
    const field = page.locator('[data-testid="diff-field"][data-change="changed"]');
    await field.waitFor({ timeout: 15_000 });
    expect(await page.getByTestId("diff-changed-row").getAttribute("data-key")).toBe("sku-2");
    expect(await field.locator("td").nth(1).textContent()).toMatch(/^title/);
    expect(await field.getByTestId("diff-before").textContent()).toBe("Item 2");
    expect(await field.locator("ins").textContent()).toBe(", second edition");
    expect(await page.getByTestId("diff-match").getAttribute("data-match")).toBe("key");
    expect(await page.getByTestId("diff-warning").count()).toBe(0);
    await shot("compare-highlight");
  }, 60_000);
});
