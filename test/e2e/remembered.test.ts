/**
 * End to end: a page opened after things happened shows them. Runs finish (one fails) before the
 * browser opens; the dashboard's activity and the health page's recent errors list them; the
 * health charts draw the server's stored samples on a time axis of today, and append live ones.
 */
import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { loadScraper } from "../../src/pipeline/index.ts";
import { serveSite, useE2e } from "./harness.ts";

let good: string;
let down: string;

function scraper(name: string, starts: string[]): string {
  const file = join(e2e.dir, `${name}.yaml`);
  writeFileSync(
    file,
    [
      `name: ${name}`,
      "targets:",
      ...starts.map((url, i) => `  - { name: t${i}, start: "${url}" }`),
      "pages:",
      "  page:",
      "    record: { title: h1 }",
      "politeness: { robots: ignore, rate_per_host: 1000, retries: 0 }",
      "",
    ].join("\n"),
  );
  return file;
}

const e2e = useE2e({
  prefix: "trawl-remembered-e2e-",
  site: () =>
    serveSite((req, res) => {
      if (req.url === "/missing") res.writeHead(404).end("gone");
      else res.writeHead(200, { "content-type": "text/html" }).end(`<h1>Item ${req.url}</h1>`);
    }),
  // What happened before anyone looked: a run with a missing page, and a run against a site that is down.
  beforeServer: async ({ app, site }) => {
    const nobody = await serveSite(() => undefined); // closed again: a port that refuses
    await nobody.close();
    good = (
      await app.engine.run(await loadScraper(scraper("shelf", [`${site.url}/a`, `${site.url}/missing`])))
    ).id;
    down = (await app.engine.run(await loadScraper(scraper("outage", [`${nobody.url}/`])))).id;
  },
  // One sample when the server starts; the test takes the next one.
  server: { healthSampleMs: 3_600_000 },
});

/** What a chart says it draws (see TimeChart). */
async function chart(testId: string) {
  const data = await e2e.page
    .getByTestId(testId)
    .evaluate((element) => ({ ...(element as HTMLElement).dataset }));
  return {
    points: Number(data.points),
    xMin: Date.parse(data.xMin ?? ""),
    xMax: Date.parse(data.xMax ?? ""),
    labels: (data.xLabels ?? "").split("|"),
  };
}

describe("a page opened later", () => {
  it("shows the activity and the errors of runs that happened before it was opened, and new ones live", async () => {
    const { app, server, site, page } = e2e;
    await page.goto(server.url);
    const items = page.getByTestId("activity-item");
    await expect.poll(() => items.count(), { timeout: 15_000 }).toBeGreaterThanOrEqual(4);
    const finishedGood = page.locator(`[data-testid="activity-item"][data-id="run.finished:${good}"]`);
    expect(await finishedGood.textContent()).toMatch(/shelf succeeded · 1 record /);
    expect(await finishedGood.getAttribute("class")).toContain("tone-ok");
    const finishedDown = page.locator(`[data-testid="activity-item"][data-id="run.finished:${down}"]`);
    expect(await finishedDown.textContent()).toMatch(/outage failed: .*refused/);
    expect(await finishedDown.locator(`a[href="/runs/${down}"]`).count()).toBe(1);

    // A run while the page is open: its entries arrive by the event stream, each once.
    const before = await items.count();
    const live = (await app.engine.run(await loadScraper(scraper("late", [`${site.url}/b`])))).id;
    const liveFinished = page.locator(`[data-testid="activity-item"][data-id="run.finished:${live}"]`);
    await liveFinished.waitFor({ timeout: 15_000 });
    expect(await items.first().getAttribute("data-id")).toBe(`run.finished:${live}`);
    const ids = await items.evaluateAll((elements) => elements.map((e) => e.getAttribute("data-id")));
    expect(new Set(ids).size).toBe(ids.length);
    expect(ids.length).toBe(before + 2);
    await page.reload();
    await expect.poll(() => items.count(), { timeout: 15_000 }).toBe(before + 2);

    // The dashboard's recent errors, and the health page's.
    for (const path of ["/", "/health"]) {
      await page.goto(`${server.url}${path}`);
      const errors = page.getByTestId("recent-error");
      await expect.poll(() => errors.count(), { timeout: 15_000 }).toBe(2);
      expect(await errors.nth(0).getAttribute("data-run-id")).toBe(down);
      expect(await errors.nth(0).getByTestId("recent-error-message").textContent()).toMatch(/refused/);
      expect(await errors.nth(1).getByTestId("recent-error-failures").textContent()).toMatch(/http_404 × 1/);
      expect(await errors.nth(1).locator(`a[href="/runs/${good}"]`).count()).toBeGreaterThan(0);
    }
  }, 90_000);

  it("draws the stored health samples on a time axis of today, and appends live ones", async () => {
    const { server, page } = e2e;
    await page.goto(`${server.url}/health`);
    await expect.poll(async () => (await chart("health-memory")).points, { timeout: 15_000 }).toBe(1);
    // One point: uPlot's own range would span 1000 days after it (labels three years ahead).
    const one = await chart("health-memory");
    expect(Math.abs(one.xMax - Date.now())).toBeLessThan(60_000);
    expect(one.xMax - one.xMin).toBe(60 * 60 * 1000);
    const today = new Intl.DateTimeFormat(undefined, { month: "short", day: "numeric" });
    const days = [today.format(new Date(one.xMin)), today.format(new Date(one.xMax))];
    const dated = one.labels.filter((label) => label.includes("\n")).map((label) => label.split("\n")[1]);
    expect(dated.length).toBeGreaterThan(0);
    expect(dated.every((day) => days.includes(day!))).toBe(true);

    // A new sample is drawn as it is stored, and is still there for a page opened afterwards.
    await server.sampler.sample();
    await expect.poll(async () => (await chart("health-memory")).points, { timeout: 15_000 }).toBe(2);
    await page.reload();
    await expect.poll(async () => (await chart("health-cpu")).points, { timeout: 15_000 }).toBe(2);
    await page.getByRole("button", { name: "24 hours" }).click();
    // The wider window is drawn at once; its samples follow when they are read.
    await expect
      .poll(async () => {
        const wide = await chart("health-cpu");
        return { span: wide.xMax - wide.xMin, points: wide.points };
      })
      .toEqual({ span: 24 * 60 * 60 * 1000, points: 2 });
  }, 60_000);
});
