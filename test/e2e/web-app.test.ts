/**
 * End to end: the built web app in a real headless Chromium against a real server, engine and
 * fixture site. Screenshots of every page go to test-artifacts/e2e/.
 */
import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { serveSite, useE2e } from "./harness.ts";
import { HeldAnswers } from "./held-answers.ts";

const ITEMS = 12;

/** Item pages are answered only while not held; a run's progress moves when the test says. */
const held = new HeldAnswers();
const titles = new Map<string, string>();

/** The fixture site: `/list/T` links to ITEMS items of target T; `/item/T/N` is one record. */
const startSite = () =>
  serveSite((req, res) => {
    const [, kind, target, n] = (req.url ?? "/").split("/");
    if (kind === "list") {
      const links = Array.from(
        { length: ITEMS },
        (_, i) => `<a class="item" href="/item/${target}/${i}">${i}</a>`,
      );
      if (target === "east") links.push(`<a class="item" href="/item/east/missing">gone</a>`);
      res.writeHead(200, { "content-type": "text/html" }).end(links.join(""));
      return;
    }
    if (n === "missing") {
      res.writeHead(404).end("gone");
      return;
    }
    const answer = () =>
      res
        .writeHead(200, { "content-type": "text/html" })
        .end(
          `<h1>${titles.get(`${target}/${n}`) ?? `Item ${target}-${n}`}</h1><p class="sku">${target}-${n}</p>`,
        );
    held.answer(answer);
  });

const e2e = useE2e({
  site: startSite,
  scraperFolder: "scrapers",
  beforeClose: () => held.letThrough(),
});

function writeScraper(name: string, targets: string[]): string {
  const file = join(e2e.scrapers, `${name}.yaml`);
  writeFileSync(
    file,
    [
      `name: ${name}`,
      "targets:",
      ...targets.map((t) => `  - { name: ${t}, start: "${e2e.site.url}/list/${t}" }`),
      "pages:",
      "  list:",
      '    follow: [{ css: "a.item", page: item }]',
      "  item:",
      "    record: { title: h1, sku: .sku }",
      "politeness: { robots: ignore, rate_per_host: 1000, concurrency: 2 }",
      "steps:",
      "  - dedupe: { key: sku }",
      "",
    ].join("\n"),
  );
  return file;
}

describe("the web app", () => {
  it("starts a run from the dashboard, shows per-target progress moving, and pauses, resumes and stops it", async () => {
    const { app, server, page, shot, waitForRun } = e2e;
    const file = writeScraper("shop", ["north", "south"]);
    held.hold();
    await page.goto(server.url);
    await page.getByTestId("quick-run-file").fill(file);
    await page.getByTestId("quick-run").click();
    const card = page.getByTestId("active-run");
    await card.waitFor();
    const runId = (await card.getAttribute("data-run-id"))!;
    const north = card.locator(
      '[data-testid="target-row"][data-target="north"] [data-testid="target-pages"]',
    );
    await expect.poll(() => north.textContent(), { timeout: 15_000 }).toMatch(/^1 \/ 13$/);
    for (let i = 0; i < 4; i++) held.waiting.shift()?.();
    await expect.poll(() => north.textContent(), { timeout: 15_000 }).not.toMatch(/^1 \/ 13$/);
    await shot("dashboard");

    await card.getByTestId("pause").click();
    held.letThrough(); // in-flight requests finish; no new ones start
    await expect
      .poll(() => card.getByTestId("run-status").first().getAttribute("data-status"), { timeout: 15_000 })
      .toBe("paused");
    held.hold();
    await card.getByTestId("resume").click();
    await expect
      .poll(() => card.getByTestId("run-status").first().getAttribute("data-status"), { timeout: 15_000 })
      .toBe("running");
    await card.getByTestId("stop").click();
    held.letThrough();
    await waitForRun(runId, "paused");
    expect((await app.store.runs.get(runId))?.owner).toBeNull();
  }, 90_000);

  it("opens a run and shows its records and logs", async () => {
    const { app, server, page, shot } = e2e;
    const file = writeScraper("catalogue", ["east"]);
    held.letThrough();
    const run = await app.engine.run(await (await import("../../src/pipeline/index.ts")).loadScraper(file));
    await page.goto(`${server.url}/runs/${run.id}`);
    await page.getByTestId("run-detail").waitFor();
    await expect.poll(() => page.getByTestId("record-row").count(), { timeout: 15_000 }).toBe(ITEMS);
    // The missing item's failure is logged as a warning.
    await expect.poll(() => page.getByTestId("log-line").count(), { timeout: 15_000 }).toBeGreaterThan(0);
    expect(await page.getByTestId("log-line").first().textContent()).toMatch(/missing failed: http_404/);
    expect(await page.getByTestId("run-status").first().getAttribute("data-status")).toBe("succeeded");
    await shot("run-detail");
  }, 60_000);

  it("compares two runs and shows an added and a changed record", async () => {
    const { app, server, page, shot } = e2e;
    const { loadScraper } = await import("../../src/pipeline/index.ts");
    const file = writeScraper("versions", ["west"]);
    held.letThrough();
    const first = await app.engine.run(await loadScraper(file));
    titles.set("west/3", "Item west-3, revised");
    writeScraper("versions", ["west", "extra"]);
    const second = await app.engine.run(await loadScraper(file));
    await page.goto(`${server.url}/compare?a=${first.id}&b=${second.id}`);
    await expect.poll(() => page.getByTestId("diff-added-row").count(), { timeout: 15_000 }).toBe(ITEMS);
    const changed = page.getByTestId("diff-changed-row");
    await expect.poll(() => changed.count()).toBe(1);
    expect(await changed.textContent()).toContain("Item west-3, revised");
    await shot("compare");
  }, 60_000);

  it("creates a schedule and shows its preview in the schedule's zone", async () => {
    const { app, server, page, shot } = e2e;
    const file = writeScraper("nightly", ["one"]);
    await page.goto(`${server.url}/schedules`);
    await page.getByTestId("schedule-new").click();
    await page.getByTestId("schedule-file").fill(file);
    await page.getByTestId("schedule-kind").selectOption("cron");
    await page.getByTestId("schedule-value").fill("30 2 * * *");
    await page.getByTestId("schedule-tz").fill("Europe/Berlin");
    await expect.poll(() => page.getByTestId("preview-item").count(), { timeout: 15_000 }).toBe(5);
    const first = await page.getByTestId("preview-item").first().getAttribute("data-iso");
    expect(first).toMatch(/^\d{4}-\d{2}-\d{2}T0[01]:30:00\.000Z$/); // 02:30 in Berlin
    await page.getByTestId("schedule-value").fill("not a cron");
    await page.getByTestId("schedule-preview-error").waitFor({ timeout: 15_000 });
    await page.getByTestId("schedule-value").fill("30 2 * * *");
    await expect.poll(() => page.getByTestId("preview-item").count(), { timeout: 15_000 }).toBe(5);
    await shot("schedule-form");
    await page.getByTestId("schedule-save").click();
    await expect.poll(() => page.getByTestId("schedule-row").count(), { timeout: 15_000 }).toBe(1);
    expect((await app.store.schedules.list()).map((s) => s.scraper)).toEqual(["nightly"]);
    await shot("schedules");
  }, 60_000);

  it("shows live figures on the health page, and every other page renders", async () => {
    const { server, page, shot } = e2e;
    await page.goto(`${server.url}/health`);
    await page.getByTestId("health-memory").waitFor({ timeout: 15_000 });
    // The charts draw the samples as they come (every 2 s).
    await expect
      .poll(() => page.locator('[data-testid="health-memory"] canvas').count(), { timeout: 15_000 })
      .toBe(1);
    const figures = await page.locator(".chart-grid").textContent();
    expect(figures).toMatch(/\d+ CPUs · now \d+\.\d\d/);
    expect(figures).toMatch(/server \d+(\.\d+)? [KMG]i?B/);
    await shot("health");
    for (const [path, testId] of [
      ["/runs", "runs-table"],
      ["/scrapers", "scrapers-table"],
      ["/datasets", "nav-datasets"],
    ] as const) {
      await page.goto(`${server.url}${path}`);
      await page.getByTestId(testId).waitFor({ timeout: 15_000 });
      await shot(path.slice(1));
    }
  }, 60_000);
});
