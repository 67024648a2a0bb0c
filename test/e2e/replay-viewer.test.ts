/**
 * End to end: the screenshot gallery and the replay viewer in a real headless Chromium, against
 * real runs (a browser run with a failing page; a recorded HTTP run). Screenshots of the pages go
 * to test-artifacts/e2e/.
 */
import { existsSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { loadScraper } from "../../src/pipeline/index.ts";
import { browserRoutes } from "../fixtures/browser-site.ts";
import { writeSession } from "../../src/fetch/browser/session-file.ts";
import { sessionFileOf } from "../../src/fetch/index.ts";
import { startFaultSite, type FaultRoute } from "../fixtures/fault-site.ts";
import { useE2e } from "./harness.ts";

const ITEMS = 3;

const html =
  (body: string, status = 200): FaultRoute =>
  (_req, res) => {
    res.writeHead(status, { "content-type": "text/html; charset=utf-8" });
    res.end(`<!doctype html><html><head><title>fixture</title></head><body>${body}</body></html>`);
  };

function itemRoutes(): Record<string, FaultRoute> {
  const routes: Record<string, FaultRoute> = {
    "/list": html(
      Array.from({ length: ITEMS }, (_, i) => `<a class="item" href="/item/${i}">${i}</a>`).join(""),
    ),
    "/broken": html(`<h1 style="color:#c00">Internal error</h1><p>Something broke.</p>`, 500),
  };
  for (let i = 0; i < ITEMS; i++) {
    // A script and a remote image: the viewer must run the one and load the other never.
    routes[`/item/${i}`] = (req, res) =>
      html(
        `<h1>Item ${i}</h1><p class="sku">sku-${i}</p><img src="http://${req.headers.host}/beacon?item=${i}">` +
          `<script>document.body.dataset.ran = "yes"</script>`,
      )(req, res);
  }
  return routes;
}

const e2e = useE2e({
  prefix: "trawl-e2e-replay-",
  site: () => startFaultSite({ routes: { ...browserRoutes().routes, ...itemRoutes() } }),
  scraperFolder: true,
});

function writeScraper(name: string, lines: string[]): string {
  const file = join(e2e.dir, `${name}.yaml`);
  writeFileSync(file, [`name: ${name}`, ...lines, ""].join("\n"));
  return file;
}

/** The `data-capture-id` of the selected timeline item. */
async function selectedId(): Promise<string | null> {
  return e2e.page
    .locator('[data-testid="timeline-item"][data-selected="true"]')
    .getAttribute("data-capture-id");
}

describe("screenshots and replay in the web app", () => {
  it("shows the screenshot of a failed browser page in the run's gallery and enlarges it", async () => {
    const { app, server, site, page, shot } = e2e;
    const file = writeScraper("breakable", [
      "targets:",
      `  - { name: fine, start: "${site.url}/list" }`,
      `  - { name: broken, start: "${site.url}/broken" }`,
      "engine: browser",
      "pages:",
      "  page:",
      "    record: { title: h1 }",
      "politeness: { robots: ignore, rate_per_host: 100, retries: 0, timeout: 10s }",
    ]);
    const run = await app.engine.run(await loadScraper(file));
    await page.goto(`${server.url}/runs/${run.id}`);
    const gallery = page.getByTestId("screenshot-gallery");
    await gallery.waitFor({ timeout: 15_000 });
    const shots = gallery.getByTestId("screenshot");
    expect(await shots.count()).toBe(1);
    expect(await shots.getByTestId("screenshot-url").textContent()).toBe(`${site.url}/broken`);
    expect(await shots.getByTestId("screenshot-reason").textContent()).toBe("page failed");
    const thumb = shots.locator("img");
    await expect
      .poll(() => thumb.evaluate((img: HTMLImageElement) => img.naturalWidth), { timeout: 15_000 })
      .toBeGreaterThan(0);
    // Not recorded: nothing to replay but the screenshots.
    expect(await page.getByTestId("replay-link").count()).toBe(0);
    await shot("screenshot-gallery");

    await thumb.click();
    const enlarged = page.getByTestId("screenshot-enlarged");
    await enlarged.waitFor();
    await expect
      .poll(() => enlarged.locator("img").evaluate((img: HTMLImageElement) => img.naturalWidth))
      .toBeGreaterThan(100);
    await shot("screenshot-enlarged");
    await page.keyboard.press("Escape");
    await enlarged.waitFor({ state: "detached" });
  }, 90_000);

  it("steps, plays and stops at a breakpoint through a recorded run, showing pages sandboxed", async () => {
    const { app, server, site, page, shot } = e2e;
    const file = writeScraper("recorded", [
      `start: "${site.url}/list"`,
      "record: true",
      "pages:",
      "  list:",
      '    follow: [{ css: "a.item", page: item }]',
      "  item:",
      "    record: { title: h1, sku: .sku }",
      "politeness: { robots: ignore, rate_per_host: 1000, concurrency: 1 }",
    ]);
    const run = await app.engine.run(await loadScraper(file));
    const pages = await app.store.captures.list(run.id, { kinds: ["page"] });
    expect(pages).toHaveLength(1 + ITEMS);

    await page.goto(`${server.url}/runs/${run.id}`);
    await page.getByTestId("replay-link").click();
    await page.getByTestId("replay-viewer").waitFor();
    const items = page.getByTestId("timeline-item");
    await expect.poll(() => items.count(), { timeout: 15_000 }).toBe(1 + ITEMS);
    const ids = await items.evaluateAll((els) => els.map((el) => el.getAttribute("data-capture-id")));
    expect(ids).toEqual(pages.map((p) => String(p.id)));
    expect(await page.getByTestId("timeline-item").first().textContent()).toMatch(/^\+0\.000 s/);
    const position = page.getByTestId("replay-position");
    expect(await position.textContent()).toBe(`1 / ${1 + ITEMS}`);

    // The recording downloads as a WARC file.
    const warcHref = await page.getByTestId("download-warc").getAttribute("href");
    expect(warcHref).toBe(`/api/runs/${run.id}/recording.warc`);
    const warc = await page.request.get(`${server.url}${warcHref}`);
    expect(warc.status()).toBe(200);
    expect((await warc.body()).subarray(0, 8).toString()).toBe("WARC/1.1");

    // The recorded page, in a frame that runs no script and loads nothing from the site.
    await page.getByTestId("replay-step-forward").click();
    expect(await selectedId()).toBe(ids[1]);
    const frame = page.getByTestId("replay-frame");
    expect(await frame.getAttribute("sandbox")).toBe("");
    expect(await frame.getAttribute("src")).toBe(`/api/runs/${run.id}/captures/${ids[1]}/body`);
    const content = page.frameLocator('[data-testid="replay-frame"]');
    const n = pages[1]!.url!.split("/").pop();
    await expect.poll(() => content.locator("h1").textContent(), { timeout: 15_000 }).toBe(`Item ${n}`);
    expect(await content.locator("body").getAttribute("data-ran")).toBeNull();
    expect(site.hits("/beacon?item=0") + site.hits("/beacon?item=1") + site.hits("/beacon?item=2")).toBe(0);

    // Keyboard: arrows step, space plays.
    await page.locator("h1").click(); // focus outside any field
    await page.keyboard.press("ArrowRight");
    expect(await selectedId()).toBe(ids[2]);
    await page.keyboard.press("ArrowLeft");
    await page.keyboard.press("ArrowLeft");
    expect(await selectedId()).toBe(ids[0]);
    expect(await position.textContent()).toBe(`1 / ${1 + ITEMS}`);

    // A breakpoint on the third item: playing from the first stops there, not at the end.
    await items.nth(2).getByTestId("timeline-breakpoint").click();
    expect(await items.nth(2).getAttribute("data-breakpoint")).toBe("true");
    await page.getByTestId("replay-speed").selectOption("4");
    await page.getByTestId("replay-play").click();
    await expect.poll(() => selectedId(), { timeout: 10_000 }).toBe(ids[2]);
    await expect.poll(() => position.getAttribute("data-playing")).toBe("false");
    await new Promise((resolve) => setTimeout(resolve, 500));
    expect(await selectedId()).toBe(ids[2]);
    await shot("replay-viewer");
    await page.locator("h1").click();
    await page.keyboard.press(" ");
    await expect.poll(() => selectedId(), { timeout: 10_000 }).toBe(ids[3]);
    await expect.poll(() => position.getAttribute("data-playing")).toBe("false"); // the end
    expect(await page.getByTestId("replay-step-forward").isDisabled()).toBe(true);
  }, 90_000);

  it("opens the page a record came from with its fields outlined", async () => {
    const { dir, app, server, page, shot } = e2e;
    const file = join(dir, "recorded.yaml");
    const run = (await app.store.runs.list({ scraper: "recorded", limit: 1 }))[0]!;
    expect(run.source).toBe(file);
    await page.goto(`${server.url}/runs/${run.id}`);
    const rows = page.getByTestId("record-row");
    await expect.poll(() => rows.count(), { timeout: 15_000 }).toBe(ITEMS);
    const second = rows.nth(1);
    const sku = (await second.textContent())!.match(/sku-\d/)![0];
    await second.getByTestId("record-source").click();
    const source = page.getByTestId("replay-source");
    await source.waitFor({ timeout: 15_000 });
    expect(
      await page
        .getByTestId("source-field")
        .evaluateAll((els) => els.map((el) => el.getAttribute("data-field"))),
    ).toEqual(["title", "sku"]);
    const captureId = await source.getAttribute("data-capture-id");
    await expect.poll(() => selectedId()).toBe(captureId);
    const frame = page.getByTestId("replay-frame");
    expect(await frame.getAttribute("src")).toBe(
      `/api/runs/${run.id}/captures/${captureId}/body?highlight=item`,
    );
    const content = page.frameLocator('[data-testid="replay-frame"]');
    await expect.poll(() => content.locator(".sku").textContent(), { timeout: 15_000 }).toBe(sku);
    expect(await content.locator("style[data-trawl-highlight]").count()).toBe(1);
    await shot("replay-source");
    await page.getByTestId("replay-highlight").uncheck();
    expect(await frame.getAttribute("src")).toBe(`/api/runs/${run.id}/captures/${captureId}/body`);
  }, 60_000);

  it("shows a recorded browser page's actions with their screenshots and its network responses", async () => {
    const { app, server, site, page, shot } = e2e;
    const file = writeScraper("searching", [
      `start: "${site.url}/search"`,
      "engine: browser",
      "record: true",
      "pages:",
      "  search:",
      "    actions:",
      '      - fill: { selector: "#q", value: trawl }',
      '      - press: { selector: "#q", key: Enter }',
      "      - wait: li.hit",
      "    records: { each: li.hit, fields: { hit: {} } }",
      "politeness: { robots: ignore, rate_per_host: 100, retries: 0, timeout: 10s }",
    ]);
    const run = await app.engine.run(await loadScraper(file));
    await page.goto(`${server.url}/runs/${run.id}/replay`);
    const items = page.getByTestId("timeline-item");
    await expect.poll(() => items.count(), { timeout: 15_000 }).toBeGreaterThan(3);
    const kinds = await items.evaluateAll((els) => els.map((el) => el.getAttribute("data-kind")));
    expect(kinds.filter((k) => k === "action")).toHaveLength(3);
    expect(kinds).toContain("response");
    expect(kinds).toContain("page");

    await page.locator('[data-testid="timeline-item"][data-kind="action"] .timeline-select').first().click();
    const preview = page.getByTestId("replay-preview");
    expect(await preview.getAttribute("data-kind")).toBe("action");
    expect(await preview.textContent()).toContain("#q");
    await expect
      .poll(() => preview.getByTestId("replay-image").evaluate((img: HTMLImageElement) => img.naturalWidth), {
        timeout: 15_000,
      })
      .toBeGreaterThan(100);
    await shot("replay-action");

    await page
      .locator('[data-testid="timeline-item"][data-kind="response"] .timeline-select')
      .first()
      .click();
    expect(await preview.getAttribute("data-kind")).toBe("response");
    expect(await preview.getByTestId("replay-status").textContent()).toMatch(/^200/);
    expect(await preview.getByTestId("replay-headers").first().textContent()).toContain("content-type");

    // Only the actions: the filter hides the rest, the player steps through what is shown.
    for (const kind of ["page", "response"])
      await page.locator(`[data-testid="replay-kind"][data-kind="${kind}"]`).uncheck();
    await expect.poll(() => items.count()).toBe(3);
    expect(await preview.getAttribute("data-kind")).toBe("action");
    await items.first().locator(".timeline-select").click();
    for (const step of [1, 2]) {
      await page.getByTestId("replay-step-forward").click();
      await expect.poll(() => page.getByTestId("replay-position").textContent()).toBe(`${step + 1} / 3`);
      expect(await preview.getAttribute("data-kind")).toBe("action");
    }
  }, 90_000);

  it("shows a scraper's kept browser session on the scrapers page and clears it", async () => {
    const { app, server, site, page } = e2e;
    writeScraper("kept", [
      `start: "${site.url}/search"`,
      "engine: browser",
      "pages:",
      "  search:",
      "    record: { q: h1 }",
    ]);
    const cookie = { name: "sid", value: "secret-cookie-value", domain: "127.0.0.1", path: "/", expires: -1 };
    await writeSession(sessionFileOf(app.paths.sessions, "kept"), {
      cookies: [{ ...cookie, httpOnly: true, secure: false, sameSite: "Lax" }],
      origins: [],
    });
    await page.goto(`${server.url}/scrapers`);
    const row = page.locator('[data-testid="scraper-row"][data-scraper="kept"]');
    await expect
      .poll(() => row.getByTestId("scraper-session").textContent(), { timeout: 15_000 })
      .toMatch(/^1 cookie/);
    expect(await page.content()).not.toContain("secret-cookie-value");
    await row.getByTestId("session-clear").click();
    await expect.poll(() => row.getByTestId("scraper-session").count(), { timeout: 15_000 }).toBe(0);
    expect(existsSync(sessionFileOf(app.paths.sessions, "kept"))).toBe(false);
  });
});
