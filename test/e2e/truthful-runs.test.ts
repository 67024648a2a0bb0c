/**
 * End to end, issue 11 items 1, 2 and 4: a run's views say what is true. Stopped and interrupted
 * runs resume from the app and finish with the records of an uninterrupted run; no ended run shows
 * a running step or target anywhere; a run another process executes is followed live, without a
 * reload, to the very figures stored at its end.
 */
import { writeFileSync } from "node:fs";
import { join } from "node:path";
import type { Locator } from "playwright-core";
import { describe, expect, it } from "vitest";
import { App } from "../../src/app/index.ts";
import { loadScraper } from "../../src/pipeline/index.ts";
import { startCli } from "../cli/run-cli.ts";
import { serveSite, useE2e } from "./harness.ts";
import { HeldAnswers } from "./held-answers.ts";

const ITEMS = 10;

/** Item pages are answered only while not held; the tests hold a run where they want it. */
const held = new HeldAnswers();

/** `/list/T` links to ITEMS items of target T; `/item/T/N` is one record; `/down/…` refuses. */
const startSite = () =>
  serveSite((req, res) => {
    const [, kind, target, n] = (req.url ?? "/").split("/");
    if (kind === "down") return void req.socket.destroy();
    if (kind === "list") {
      const links = Array.from(
        { length: ITEMS },
        (_, i) => `<a class="item" href="/item/${target}/${i}">${i}</a>`,
      );
      return void res.writeHead(200, { "content-type": "text/html" }).end(links.join(""));
    }
    const answer = () =>
      res
        .writeHead(200, { "content-type": "text/html" })
        .end(`<h1>Item ${target}-${n}</h1><p class="sku">${target}-${n}</p>`);
    held.answer(answer);
  });

const e2e = useE2e({
  prefix: "trawl-e2e-truth-",
  site: startSite,
  scraperFolder: true,
  server: { watchMs: 100 },
  beforeClose: () => held.letThrough(),
});

/** A scraper of two targets (under `base`, `/list` by default) with a dedupe step. */
function writeScraper(name: string, base = "list"): string {
  const file = join(e2e.dir, `${name}.yaml`);
  writeFileSync(
    file,
    [
      `name: ${name}`,
      "targets:",
      ...["north", "south"].map((t) => `  - { name: ${t}, start: "${e2e.site.url}/${base}/${t}" }`),
      "pages:",
      "  list:",
      '    follow: [{ css: "a.item", page: item }]',
      "  item:",
      "    record: { title: h1, sku: .sku }",
      "politeness: { robots: ignore, rate_per_host: 1000, concurrency: 2, retries: 0 }",
      "steps:",
      "  - dedupe: { key: sku }",
      "",
    ].join("\n"),
  );
  return file;
}

async function startRun(file: string): Promise<string> {
  const { server } = e2e;
  const response = await e2e.fetch("/api/runs", {
    method: "POST",
    headers: { "content-type": "application/json", origin: server.url },
    body: JSON.stringify({ file }),
  });
  expect(response.status).toBe(202);
  return ((await response.json()) as { id: string }).id;
}

async function summary(id: string): Promise<Record<string, unknown> & { steps: { status: string }[] }> {
  return (await (await e2e.fetch(`/api/runs/${id}`)).json()) as never;
}

async function finalRecords(id: string): Promise<string[]> {
  const { app } = e2e;
  const run = (await app.store.runs.get(id))!;
  const stage = run.steps.length - 1;
  const skus: string[] = [];
  for await (const record of app.store.records.read(id, stage)) skus.push((record as { sku: string }).sku);
  return skus.sort();
}

/** The buttons of the run page's header, by test id. */
async function controls(): Promise<string[]> {
  const header = e2e.page.locator(".page-header > .actions > button");
  await header
    .first()
    .waitFor({ timeout: 5000 })
    .catch(() => undefined);
  return header.evaluateAll((buttons) => buttons.map((b) => b.getAttribute("data-testid") ?? ""));
}

async function statuses(locator: Locator): Promise<string[]> {
  return locator.evaluateAll((nodes) => nodes.map((n) => n.getAttribute("data-status") ?? ""));
}

describe("truthful runs", () => {
  it("stops a run, offers exactly Resume and Cancel, resumes it from the app to the records of an uninterrupted run", async () => {
    const { app, server, page, waitForRun } = e2e;
    const file = writeScraper("stoppable");
    const uninterrupted = (await app.engine.run(await loadScraper(file))).id;

    held.hold();
    const id = await startRun(file);
    await page.goto(`${server.url}/runs/${id}`);
    await expect.poll(controls, { timeout: 15_000 }).toEqual(["pause", "stop", "cancel"]);
    await page.getByTestId("stop").click();
    held.letThrough(); // in-flight requests finish; no new ones start
    await waitForRun(id, "paused");
    // A stopped run: nobody holds it, so Stop and Pause would fail; Resume and Cancel work.
    await expect.poll(controls, { timeout: 15_000 }).toEqual(["resume", "cancel"]);
    const stopped = await summary(id);
    expect(stopped.steps.map((s) => s.status)).toEqual(["paused", "pending"]);
    expect(await statuses(page.getByTestId("pipeline-step"))).toEqual(["paused", "pending"]);

    await page.getByTestId("resume").click();
    await waitForRun(id, "succeeded");
    await expect.poll(() => page.getByTestId("run-status").getAttribute("data-status")).toBe("succeeded");
    expect(await controls()).toEqual([]);
    expect(await finalRecords(id)).toEqual(await finalRecords(uninterrupted));
    expect(await finalRecords(id)).toHaveLength(2 * ITEMS);
  }, 90_000);

  it("resumes a run whose process was killed, from the app", async () => {
    const { dir, server, page, waitForRun } = e2e;
    const file = writeScraper("orphan");
    held.hold();
    const cli = startCli(["run", file], { home: join(dir, "home"), timeoutMs: 60_000 });
    const id = (await cli.waitForStderr(/(RUN-\d{8}-[0-9A-F]{6}) started/, 30_000))[1]!;
    await expect.poll(() => held.waiting.length, { timeout: 15_000 }).toBeGreaterThan(0);
    cli.child.kill("SIGKILL");
    await cli.result;
    held.waiting.splice(0);
    await page.goto(`${server.url}/runs/${id}`);
    await expect.poll(controls, { timeout: 15_000 }).toEqual(["resume", "cancel"]);
    expect(await page.getByTestId("run-status").getAttribute("data-status")).toBe("interrupted");
    expect(await statuses(page.getByTestId("target-status"))).not.toContain("running");
    held.letThrough();
    await page.getByTestId("resume").click();
    await waitForRun(id, "succeeded");
    expect(await finalRecords(id)).toHaveLength(2 * ITEMS);
  }, 90_000);

  it("leaves no step or target running once a run failed, was cancelled or stopped: run page, dashboard, API", async () => {
    const { dir, app, server, page, waitForRun } = e2e;
    const failed = await startRun(writeScraper("down", "down"));
    await waitForRun(failed, "failed");

    held.hold();
    const cancelled = await startRun(writeScraper("cancellable"));
    await page.goto(`${server.url}/runs/${cancelled}`);
    await expect.poll(controls, { timeout: 15_000 }).toContain("cancel");
    await page.getByTestId("cancel").click();
    // Cancel asks first: keeping the run changes nothing.
    await page.getByTestId("cancel-keep").click();
    expect((await app.store.runs.get(cancelled))?.status).toBe("running");
    await page.getByTestId("cancel").click();
    await page.getByTestId("cancel-confirm").click();
    held.letThrough();
    await waitForRun(cancelled, "cancelled");

    held.hold();
    const stopped = await startRun(writeScraper("halted"));
    await expect.poll(() => held.waiting.length, { timeout: 15_000 }).toBeGreaterThan(0);
    await app.engine.stop(stopped);
    held.letThrough();
    await waitForRun(stopped, "paused");

    const expected = {
      [failed]: { steps: ["failed", "skipped"], targets: ["failed", "failed"] },
      [cancelled]: { steps: ["cancelled", "skipped"], targets: ["cancelled", "cancelled"] },
      [stopped]: { steps: ["paused", "pending"], targets: ["paused", "paused"] },
    };
    for (const [id, want] of Object.entries(expected)) {
      const api = (await summary(id)) as { steps: { status: string }[]; targets: { status: string }[] };
      expect(api.steps.map((s) => s.status)).toEqual(want.steps);
      expect(api.targets.map((t) => t.status)).toEqual(want.targets);
      await page.goto(`${server.url}/runs/${id}`);
      await page.getByTestId("target-grid").waitFor();
      await expect.poll(() => statuses(page.getByTestId("pipeline-step"))).toEqual(want.steps);
      expect(await statuses(page.getByTestId("target-status"))).toEqual(want.targets);
    }
    // A scraper's page colours its pipeline by its latest run's steps: the cancelled one's.
    await page.goto(`${server.url}/scrapers/view?file=${encodeURIComponent(join(dir, "cancellable.yaml"))}`);
    await expect
      .poll(() => statuses(page.getByTestId("pipeline-step")), { timeout: 10_000 })
      .toEqual(expected[cancelled]!.steps);
    // The dashboard shows the stopped run (it can be resumed) with paused targets, nothing running.
    await page.goto(server.url);
    const card = page.locator(`[data-testid="active-run"][data-run-id="${stopped}"]`);
    await card.waitFor();
    expect(await statuses(card.getByTestId("target-status"))).toEqual(["paused", "paused"]);
    expect(await statuses(page.locator('[data-testid="active-run"] [data-status="running"]'))).toEqual([]);
  }, 90_000);

  it("follows a run of another process live, to the figures stored at its end, without a reload", async () => {
    const { dir, server, page } = e2e;
    const file = writeScraper("elsewhere");
    const other = await App.open({ home: join(dir, "home") });
    try {
      const scraper = await loadScraper(file);
      const run = await other.engine.create(scraper);
      held.hold();
      await page.goto(`${server.url}/runs/${run.id}`);
      await page.getByTestId("run-detail").waitFor();
      const execution = other.engine.execute(run.id, scraper);
      await expect
        .poll(() => page.getByTestId("run-status").getAttribute("data-status"), { timeout: 15_000 })
        .toBe("running");
      held.letThrough();
      const ended = await execution;
      expect(ended.status).toBe("succeeded");

      const stored = await summary(run.id);
      const stats = stored.stats as { requests: number };
      await expect
        .poll(() => page.getByTestId("run-status").getAttribute("data-status"), { timeout: 15_000 })
        .toBe("succeeded");
      await expect.poll(() => page.getByTestId("run-records").textContent()).toBe(String(stored.records));
      await expect.poll(() => page.getByTestId("stat-requests").textContent()).toBe(String(stats.requests));
      expect(await statuses(page.getByTestId("pipeline-step"))).toEqual(["done", "done"]);
      expect(await statuses(page.getByTestId("target-status"))).toEqual(["done", "done"]);
      const logs = await other.store.logs.list(run.id);
      await expect
        .poll(() => page.getByTestId("log-line").allTextContents(), { timeout: 10_000 })
        .toEqual(expect.arrayContaining([expect.stringContaining("succeeded")]));
      expect(await page.getByTestId("log-line").count()).toBe(logs.length);
    } finally {
      await other.close();
    }
  }, 90_000);
});
