/**
 * End to end (issue 11, items 3 and 10): a failed or cancelled run's page shows why its records
 * are not compared, never a record diff; the Compare page marks what differs in a changed field.
 * The built web app in headless Chromium against a real server, engine, SQLite store and site.
 */
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import http from "node:http";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { Browser, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { App } from "../../src/app/index.ts";
import { loadScraper } from "../../src/pipeline/index.ts";
import { startServer, type TrawlServer } from "../../src/server/index.ts";
import { launchBundledChromium } from "./bundled-browser.ts";
import { E2E_UI_DIR } from "./ui-dir.ts";

const ARTIFACTS = join(process.cwd(), "test-artifacts", "e2e");

let dir: string;
let app: App;
let server: TrawlServer;
let site: http.Server;
let siteUrl: string;
let browser: Browser;
let page: Page;
const titles = new Map<string, string>();
/** Item pages wait here while `holding`: a run can be cancelled in the middle of its crawl. */
let holding = false;
const held: (() => void)[] = [];

/** `/list` links to four items; `/item/N` is one record, titled from `titles`. */
function startSite(): Promise<void> {
  site = http.createServer((req, res) => {
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
    if (holding && n !== "0") held.push(answer);
    else answer();
  });
  return new Promise((resolve) =>
    site.listen(0, "127.0.0.1", () => {
      siteUrl = `http://127.0.0.1:${(site.address() as { port: number }).port}`;
      resolve();
    }),
  );
}

/** A scraper of the site (or of `origin`) keyed by sku. */
function writeScraper(name: string, origin = siteUrl): string {
  const file = join(dir, `${name}.yaml`);
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

const run = async (file: string) => (await app.engine.run(await loadScraper(file))).id;

async function expectNotCompared(runId: string, reason: string): Promise<void> {
  await page.goto(`${server.url}/runs/${runId}`);
  const notice = page.getByTestId("changes-not-compared");
  await notice.waitFor({ timeout: 15_000 });
  expect(await notice.textContent()).toContain(reason);
  expect(await page.getByTestId("record-diff").count()).toBe(0);
  expect(await page.getByTestId("diff-removed-count").count()).toBe(0);
}

let first = "";

beforeAll(async () => {
  mkdirSync(ARTIFACTS, { recursive: true });
  dir = mkdtempSync(join(tmpdir(), "trawl-e2e-changes-"));
  await startSite();
  app = await App.open({ home: join(dir, "home") });
  server = await startServer({ app, port: 0, uiDir: E2E_UI_DIR, scheduler: false, scraperFolders: [dir] });
  browser = await launchBundledChromium();
  page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
  first = await run(writeScraper("shop"));
}, 120_000);

afterAll(async () => {
  await browser?.close();
  await server?.close();
  await app?.close();
  await new Promise((resolve) => site?.close(resolve));
  rmSync(dir, { recursive: true, force: true });
});

describe("changes in the web app", () => {
  it("a failed and a cancelled run show why they are not compared, and no record diff", async () => {
    // Nothing listens on port 9 of loopback (discard): every request of this run fails.
    const failed = await run(writeScraper("down", "http://127.0.0.1:9"));
    expect((await app.store.runs.get(failed))?.status).toBe("failed");
    await expectNotCompared(failed, "This run failed: its records are not compared.");
    await page.screenshot({ path: join(ARTIFACTS, "changes-failed.png"), fullPage: true });

    holding = true;
    const scraper = await loadScraper(writeScraper("shop"));
    const cancelled = await app.engine.create(scraper);
    const execution = app.engine.execute(cancelled.id, scraper);
    for (let i = 0; i < 400 && (await app.store.records.count(cancelled.id, 0)) === 0; i++)
      await new Promise((resolve) => setTimeout(resolve, 25));
    await app.engine.cancel(cancelled.id);
    holding = false;
    held.splice(0).forEach((answer) => answer());
    await execution;
    await expectNotCompared(cancelled.id, "This run was cancelled: its records are not compared.");
    expect(await page.getByTestId("changes-compare-anyway").getAttribute("href")).toBe(
      `/compare?a=${first}&b=${cancelled.id}`,
    );
  }, 60_000);

  it("the Compare page marks the changed part of a changed field", async () => {
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
    await page.screenshot({ path: join(ARTIFACTS, "compare-highlight.png"), fullPage: true });
  }, 60_000);
});
