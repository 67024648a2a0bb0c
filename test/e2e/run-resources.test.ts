/**
 * End to end: a run's page shows the Resources panel (issue 16, item 3): the server's CPU,
 * memory and event-loop lag over the run's time range and the run's pages/s, drawn from the
 * samples the server stored while a real run crawled a real (slow) site; the Health page draws
 * the lag too. The Workers page (issue 17, item 7) lists the server while it executes a run, and
 * the run's page the workers serving it. One browser.
 */
import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import type { RunResources } from "../../src/core/contract/resources.ts";
import type { Fleet } from "../../src/core/contract/workers.ts";
import { loadScraper } from "../../src/pipeline/index.ts";
import { serveSite, useE2e } from "./harness.ts";

/** Pages of the site: each answers after 80 ms, so the run spans several samples. */
const PAGES = 12;

const e2e = useE2e({
  prefix: "trawl-run-resources-",
  site: () =>
    serveSite((req, res) => {
      setTimeout(() => {
        const n = Number(new URL(req.url ?? "/", "http://x").searchParams.get("n") ?? 0);
        const next = n + 1 < PAGES ? `<a href="/page?n=${n + 1}">next</a>` : "";
        res.writeHead(200, { "content-type": "text/html" }).end(`<h1>Page ${n}</h1>${next}`);
      }, 80);
    }),
  server: { healthSampleMs: 150 },
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
  };
}

describe("a run's Resources panel", () => {
  it("graphs the server's samples over the run's time range and the run's pages/s", async () => {
    const { dir, app, server, site, page } = e2e;
    const file = join(dir, "chain.yaml");
    writeFileSync(
      file,
      `name: chain
start: ${site.url}/page?n=0
pages:
  page:
    follow: [{ css: a, page: page }]
    record: { title: h1 }
politeness: { robots: ignore, rate_per_host: 1000, retries: 0, concurrency: 1 }
`,
    );
    const run = await app.engine.run(await loadScraper(file));
    expect(run.status).toBe("succeeded");
    // The sampler stores the run's last figures at its next sample.
    const resources = async () =>
      (await (await e2e.fetch(`/api/runs/${run.id}/resources`)).json()) as RunResources;
    await expect
      .poll(async () => (await resources()).progress.at(-1)?.pages, { timeout: 10_000 })
      .toBe(PAGES);
    // Past the end of the run's range (a second after it ended), its samples are all stored.
    const { until } = await resources();
    await new Promise((resolve) => setTimeout(resolve, Math.max(0, until - Date.now() + 50)));
    const stored = await resources();
    expect(stored.samples.length).toBeGreaterThanOrEqual(3);

    await page.goto(`${server.url}/runs/${run.id}`);
    const panel = page.getByTestId("run-resources");
    await expect
      .poll(() => panel.getAttribute("data-samples"), { timeout: 15_000 })
      .toBe(String(stored.samples.length));
    // One point per sample, and a null one where the sampler was late (a gap, as on the Health page).
    const points = (n: number) => n >= stored.samples.length && n < 2 * stored.samples.length;
    const cpu = await chart("run-resource-cpu");
    expect(points(cpu.points)).toBe(true);
    // The x axis spans the run's range (one interval, at least a second, either side), not "the last hour".
    // (The chart's scale is in seconds, floating: a millisecond either way is its rounding.)
    expect(Math.abs(cpu.xMax - stored.until)).toBeLessThanOrEqual(1);
    expect(Math.abs(cpu.xMin - stored.from)).toBeLessThanOrEqual(1);
    expect((await chart("run-resource-memory")).points).toBe(cpu.points);
    expect((await chart("run-resource-lag")).points).toBe(cpu.points);
    const paced = stored.progress.filter((p) => p.pagesPerSecond !== null);
    expect(paced.some((p) => p.pagesPerSecond! > 0)).toBe(true);
    expect((await chart("run-resource-pages")).points).toBe(paced.length);
    await e2e.shot("run-resources");

    // The Health page draws the same lag samples, with the last interval's figures in its header.
    await page.goto(`${server.url}/health`);
    await expect
      .poll(async () => (await chart("health-event-loop-lag")).points, { timeout: 15_000 })
      .toBeGreaterThanOrEqual(stored.samples.length);
    const lagCard = page.locator(".card", { has: page.getByTestId("health-event-loop-lag") });
    expect(await lagCard.locator(".card-header").textContent()).toMatch(
      /Event-loop lag\s*p99 [\d.]+ ms · max [\d.]+ ms/,
    );
  });
});

describe("the Workers page", () => {
  it("lists the processes executing runs, live, with links to their runs; a run's page its workers", async () => {
    const { dir, app, server, site, page } = e2e;
    const file = join(dir, "slow-chain.yaml");
    // 12 pages at 2 a second: about 6 s, stopped long before.
    writeFileSync(
      file,
      `name: slowchain
start: ${site.url}/page?n=0
pages:
  page:
    follow: [{ css: a, page: page }]
    record: { title: h1 }
politeness: { robots: ignore, rate_per_host: 2, retries: 0, concurrency: 1 }
`,
    );
    // A process on another machine that stopped reporting 10 s ago: listed, marked stale.
    const now = Date.now();
    await app.store.workers.report({
      id: "far-away:77:abc",
      host: "far-away",
      pid: 77,
      kind: "worker",
      startedAt: now - 60_000,
      heartbeatAt: now - 10_000,
      runs: [],
      leases: 2,
      pagesPerSecond: 0,
      concurrency: 4,
    });
    await page.goto(`${server.url}/workers`);
    await page.getByTestId("worker-table").waitFor();
    const stale = page.locator('[data-testid="worker-row"][data-worker="far-away:77:abc"]');
    expect(await stale.getAttribute("data-stale")).toBe("true");
    expect(await stale.getByTestId("worker-stale").textContent()).toBe("stale");

    const scraper = await loadScraper(file);
    const run = await app.engine.create(scraper);
    await app.launch(run.id, scraper, () => undefined);
    // The page polls: the server's own row appears with its run, then its pace.
    const own = page.locator(`[data-testid="worker-row"][data-worker="${app.engine.owner}"]`);
    await expect.poll(() => own.getByTestId("worker-runs").textContent(), { timeout: 10_000 }).toBe(run.id);
    await expect
      .poll(async () => Number(await own.getByTestId("worker-pace").textContent()), { timeout: 10_000 })
      .toBeGreaterThan(0);
    expect(await page.getByTestId("worker-row").count()).toBe(2);
    await e2e.shot("workers");

    // Its run link leads to the run's page, which lists the workers serving it.
    await own.getByRole("link", { name: run.id }).click();
    const serving = page.getByTestId("run-workers");
    await serving.waitFor();
    expect(await serving.getByTestId("worker-row").getAttribute("data-worker")).toBe(app.engine.owner);

    await app.engine.stop(run.id);
    await app.settleBackground();
    await expect
      .poll(async () => ((await (await e2e.fetch("/api/workers")).json()) as Fleet).workers[0]?.runs)
      .toEqual([]);
    await page.getByTestId("nav-workers").click();
    await expect.poll(() => own.getByTestId("worker-runs").textContent(), { timeout: 10_000 }).toBe("idle");
  });
});
