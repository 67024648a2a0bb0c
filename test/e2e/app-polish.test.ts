/**
 * End to end, issue 11 items 7, 8, 10 and 11: the web app's controls, forms, filters and layout,
 * in a real headless Chromium against a real server, scheduler, engine and fixture site.
 * Dark-theme screenshots of every page go to test-artifacts/e2e/dark-*.png. The Audit page (issue
 * 15, item 5): its entries, action filter and Verify button, intact and after an edit.
 */
import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { pathToFileURL } from "node:url";
import Database from "better-sqlite3";
import type { Page } from "playwright-core";
import { beforeAll, describe, expect, it } from "vitest";
import { loadScraper } from "../../src/pipeline/index.ts";
import { policyFromFlags } from "../../src/scheduler/index.ts";
import { runCli } from "../cli/run-cli.ts";
import { serveSite, useE2e } from "./harness.ts";

/** The runs made before the tests, by scraper. */
const runs: Record<string, string> = {};

const e2e = useE2e({
  prefix: "trawl-polish-",
  // `/list` links to three items; `/item/N` is one record.
  site: () =>
    serveSite((req, res) => {
      const body =
        req.url === "/list"
          ? [0, 1, 2].map((n) => `<a class="item" href="/item/${n}">${n}</a>`).join("")
          : `<h1>Item ${req.url}</h1>`;
      res.writeHead(200, { "content-type": "text/html" }).end(body);
    }),
  scraperFolder: "scrapers",
  beforeServer: async ({ app, scrapers, site }) => {
    for (const name of ["bookshop", "fleamarket"]) writeScraper(name);
    // Does not load: `title` must be a selector, not a number.
    writeFileSync(
      join(scrapers, "broken.yaml"),
      "name: shop\nstart: http://127.0.0.1:9/\npages:\n  p:\n    record: { title: 12 }\n",
    );
    writeFileSync(
      join(scrapers, "coded.ts"),
      [
        `import { defineScraper } from ${JSON.stringify(pathToFileURL(join(process.cwd(), "src", "index.ts")).href)};`,
        `export default defineScraper({ name: "coded-shop", start: "${site.url}/list", pages: { list: {} } });`,
        "",
      ].join("\n"),
    );
    for (const name of ["bookshop", "fleamarket"]) {
      runs[name] = (await app.engine.run(await loadScraper(join(scrapers, `${name}.yaml`)))).id;
    }
  },
});

beforeAll(() => e2e.page.setDefaultTimeout(10_000));

function writeScraper(name: string): string {
  const file = join(e2e.scrapers, `${name}.yaml`);
  writeFileSync(
    file,
    [
      `name: ${name}`,
      `start: "${e2e.site.url}/list"`,
      "pages:",
      "  list:",
      '    follow: [{ css: "a.item", page: item }]',
      "  item:",
      "    record: { title: h1 }",
      "politeness: { robots: ignore, rate_per_host: 1000 }",
      "",
    ].join("\n"),
  );
  return file;
}

/** POST to the API as the app does (same origin), answering status and JSON. */
async function call(
  method: string,
  path: string,
  body?: unknown,
): Promise<{ status: number; json: { id?: string; message?: string } }> {
  const response = await e2e.fetch(`${path}`, {
    method,
    headers: body === undefined ? {} : { "content-type": "application/json" },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const text = await response.text();
  return { status: response.status, json: text ? JSON.parse(text) : undefined };
}

async function newSchedule(scraper: string): Promise<string> {
  const created = await call("POST", "/api/schedules", {
    file: join(e2e.scrapers, `${scraper}.yaml`),
    daily: "06:30",
  });
  expect(created.status).toBe(201);
  return created.json.id as string;
}

const activeTestId = (p: Page) => p.evaluate(() => document.activeElement?.getAttribute("data-testid"));

describe("the web app's controls, forms and layout", () => {
  it("asks a browser that did not come through the app's link to sign in, and lets it in through the link", async () => {
    const context = await e2e.browser.newContext();
    const stranger = await context.newPage();
    await stranger.goto(`${e2e.server.url}/runs`);
    await stranger.getByTestId("sign-in").waitFor();
    expect(await stranger.locator("h1").textContent()).toBe("Open trawl through its link");
    await stranger.goto(e2e.server.link);
    await stranger.getByTestId("nav-dashboard").waitFor();
    expect(new URL(stranger.url()).search).toBe("");
    expect(await stranger.getByTestId("sign-in").count()).toBe(0);
    await context.close();
  });

  it("names a definition that does not load by its file and opens it; a TypeScript scraper's page has its name", async () => {
    const { server, page } = e2e;
    await page.goto(`${server.url}/scrapers`);
    await page.getByTestId("scraper-row").first().waitFor();
    await page.getByRole("link", { name: "broken.yaml", exact: true }).click();
    // The click navigates: wait for the definition's page, not the list's heading still shown.
    await expect.poll(() => page.locator("h1").textContent()).toBe("broken.yaml");
    await page.getByTestId("problem").first().waitFor();
    await expect.poll(() => page.title()).toBe("broken.yaml · trawl");

    await page.goto(`${server.url}/scrapers`);
    await page.getByRole("link", { name: "coded-shop", exact: true }).click();
    await expect.poll(() => page.locator("h1").textContent()).toBe("coded-shop");
  }, 60_000);

  it("asks before deleting a schedule, with the safe choice focused; Escape keeps it", async () => {
    const { app, server, page, shot } = e2e;
    const id = await newSchedule("fleamarket");
    await page.goto(`${server.url}/schedules`);
    const row = page.locator(`[data-testid="schedule-row"][data-schedule-id="${id}"]`);
    await row.getByTestId("schedule-delete").click();
    const dialog = row.getByTestId("schedule-delete-dialog");
    expect(await dialog.isVisible()).toBe(true);
    expect(await dialog.textContent()).toContain(`Delete schedule ${id}?`);
    expect(await activeTestId(page)).toBe("schedule-delete-keep");
    await shot("confirm-delete", { fullPage: false });
    await page.keyboard.press("Escape");
    await expect.poll(() => dialog.isVisible()).toBe(false);
    expect(await app.store.schedules.get(id)).not.toBeNull();

    // From the schedule's own page: confirmed, it is gone and the list is shown.
    await page.goto(`${server.url}/schedules/${id}`);
    await page.getByTestId("schedule-delete").click();
    await page.getByTestId("schedule-delete-confirm").click();
    await page.waitForURL(/\/schedules$/);
    expect(await app.store.schedules.get(id)).toBeNull();
  }, 60_000);

  it("filters History by a part of the scraper's name, in any case, as it is typed", async () => {
    const { server, page } = e2e;
    await page.goto(`${server.url}/runs`);
    await page.getByTestId("run-row").first().waitFor();
    await page.getByTestId("filter-scraper").pressSequentially("Book");
    await expect.poll(() => page.getByTestId("run-row").count()).toBe(1);
    expect(await page.getByTestId("run-row").getAttribute("data-run-id")).toBe(runs.bookshop);
  }, 60_000);

  it("shows the defaults the server saves as the schedule form's placeholders, and errors naming the API's fields", async () => {
    const { scrapers, app, server, page } = e2e;
    await page.goto(`${server.url}/schedules`);
    await page.getByTestId("schedule-new").click();
    const placeholder = (name: string) => page.getByTestId(`schedule-${name}`).getAttribute("placeholder");
    const shown = {
      grace: (await placeholder("grace"))!,
      jitter: (await placeholder("jitter"))!,
      retries: (await placeholder("retries"))!,
      maxFailures: (await placeholder("maxFailures"))!,
    };
    await page.getByTestId("schedule-kind").selectOption("cron");
    await page.getByTestId("schedule-value").fill("61 * * * *");
    const previewError = page.getByTestId("schedule-preview-error");
    await previewError.waitFor();
    expect(await previewError.textContent()).toMatch(/^cron: "61 \* \* \* \*" is invalid/);

    await page.getByTestId("schedule-file").fill(join(scrapers, "bookshop.yaml"));
    await page.getByTestId("schedule-value").fill("30 6 * * *");
    await page.getByTestId("schedule-save").click();
    await expect.poll(() => page.getByTestId("schedule-form").count()).toBe(0);
    const saved = (await app.store.schedules.list()).find((s) => s.scraper === "bookshop")!;
    expect(policyFromFlags(shown)).toEqual({
      graceMs: saved.graceMs,
      jitterMs: saved.jitterMs,
      retries: saved.retries,
      maxFailures: saved.maxFailures,
    });

    const refused = await call("POST", "/api/schedules", {
      file: join(scrapers, "bookshop.yaml"),
      daily: "09:00",
      activeHours: "9-17",
    });
    expect(refused.status).toBe(400);
    expect(refused.json.message).toMatch(/^activeHours: "9-17" is not a window/);
    const edit = await call("PATCH", `/api/schedules/${saved.id}`, { grace: "soon" });
    expect(edit.json.message).toMatch(/^grace: "soon"/);
    expect(`${refused.json.message} ${edit.json.message}`).not.toContain("--");
  }, 60_000);

  it("says what Run now did: the started run on the scrapers page, the run a schedule started", async () => {
    const { app, server, page } = e2e;
    await page.goto(`${server.url}/scrapers`);
    await page
      .locator('[data-testid="scraper-row"][data-scraper="fleamarket"]')
      .getByTestId("run-now")
      .click();
    const started = page.getByTestId("run-now-started");
    expect(await started.textContent()).toMatch(/^Started RUN-\d{8}-[0-9A-F]{6}/);
    expect(page.url()).toMatch(/\/scrapers$/);

    const id = await newSchedule("fleamarket");
    await page.goto(`${server.url}/schedules/${id}`);
    await page.getByTestId("schedule-run-now").click();
    const link = page.getByTestId("schedule-run-now-run");
    await link.waitFor({ timeout: 20_000 });
    const runId = (await link.textContent())!;
    expect((await app.store.schedules.occurrences({ scheduleId: id, limit: 1 }))[0]?.runId).toBe(runId);
    await link.click();
    await page.waitForURL(new RegExp(`/runs/${runId}$`));
  }, 60_000);

  it("edits a schedule from its page, the form filled with it", async () => {
    const { app, server, page } = e2e;
    const id = await newSchedule("bookshop");
    await page.goto(`${server.url}/schedules/${id}`);
    await page.getByTestId("schedule-edit").click();
    expect(await page.getByTestId("schedule-kind").inputValue()).toBe("daily");
    expect(await page.getByTestId("schedule-value").inputValue()).toBe("06:30");
    await page.getByTestId("schedule-grace").fill("2h");
    await page.getByTestId("schedule-save").click();
    await expect.poll(async () => (await app.store.schedules.get(id))?.graceMs).toBe(7_200_000);
    await expect.poll(() => page.getByTestId("schedule-form").count()).toBe(0);
    await expect.poll(() => page.locator(".facts").textContent()).toContain("Grace2h");
  }, 60_000);

  it("starts a run recorded for replay from the dashboard", async () => {
    const { scrapers, app, server, page } = e2e;
    await page.goto(server.url);
    await page.getByTestId("quick-run-file").fill(join(scrapers, "bookshop.yaml"));
    await page.getByTestId("quick-run-record").check();
    await page.getByTestId("quick-run").click();
    const runId = (await page.getByTestId("quick-run-started").locator("a").textContent())!;
    expect((await app.store.runs.get(runId))?.options.record).toBe(true);
  }, 60_000);

  it("collapses the sidebar into a top bar with a keyboard-operable menu at 800 px", async () => {
    const { server, browser, shot } = e2e;
    const narrow = await browser.newPage({ viewport: { width: 800, height: 900 } });
    await e2e.signIn(narrow);
    narrow.setDefaultTimeout(10_000);
    await narrow.goto(`${server.url}/schedules`);
    const bar = (await narrow.locator(".sidebar").boundingBox())!;
    expect(bar.height).toBeLessThan(70);
    const menu = narrow.getByTestId("menu-button");
    const history = narrow.getByTestId("nav-history");
    expect(await history.isVisible()).toBe(false);
    await menu.focus();
    await narrow.keyboard.press("Enter");
    expect(await menu.getAttribute("aria-expanded")).toBe("true");
    expect(await history.isVisible()).toBe(true);
    await narrow.keyboard.press("Escape");
    expect(await menu.getAttribute("aria-expanded")).toBe("false");
    expect(await activeTestId(narrow)).toBe("menu-button");
    await menu.click();
    await history.click();
    await narrow.waitForURL(/\/runs$/);
    await expect.poll(() => menu.getAttribute("aria-expanded")).toBe("false");
    await shot("narrow-runs", { page: narrow, fullPage: false });
    await narrow.close();
  }, 60_000);

  it("follows a dark system theme on every page, with readable text", async () => {
    const { server, browser, shot } = e2e;
    const context = await browser.newContext({ colorScheme: "dark", viewport: { width: 1280, height: 900 } });
    const dark = await context.newPage();
    await e2e.signIn(dark);
    dark.setDefaultTimeout(10_000);
    /** Relative luminance (WCAG) of a computed `rgb(…)` colour. */
    const luminance = (rgb: string) => {
      const [r, g, b] = rgb
        .match(/\d+(\.\d+)?/g)!
        .slice(0, 3)
        .map((v) => {
          const c = Number(v) / 255;
          return c <= 0.03928 ? c / 12.92 : ((c + 0.055) / 1.055) ** 2.4;
        });
      return 0.2126 * r! + 0.7152 * g! + 0.0722 * b!;
    };
    const contrast = (a: string, b: string) => {
      const [hi, lo] = [luminance(a), luminance(b)].sort((x, y) => y - x);
      return (hi! + 0.05) / (lo! + 0.05);
    };
    for (const [name, path, ready] of [
      ["dashboard", "/", "nav-dashboard"],
      ["scrapers", "/scrapers", "scrapers-table"],
      ["history", "/runs", "runs-table"],
      ["run", `/runs/${runs.bookshop}`, "run-detail"],
      ["compare", `/compare?a=${runs.bookshop}&b=${runs.fleamarket}`, "nav-compare"],
      ["schedules", "/schedules", "schedule-new"],
      ["datasets", "/datasets", "nav-datasets"],
      ["health", "/health", "health-memory"],
    ] as const) {
      await dark.goto(`${server.url}${path}`);
      await dark.getByTestId(ready).first().waitFor();
      const colours = await dark.evaluate(() => {
        const style = (selector: string) => {
          const element = document.querySelector(selector);
          return element ? getComputedStyle(element) : null;
        };
        return {
          background: getComputedStyle(document.documentElement).backgroundColor,
          text: getComputedStyle(document.documentElement).color,
          muted: style(".muted")?.color ?? null,
          panel: style(".table, .card, .stat")?.backgroundColor ?? null,
        };
      });
      expect(luminance(colours.background), path).toBeLessThan(0.05);
      expect(contrast(colours.text, colours.background), path).toBeGreaterThan(7);
      if (colours.muted) expect(contrast(colours.muted, colours.background), path).toBeGreaterThan(4.5);
      if (colours.panel) expect(luminance(colours.panel), path).toBeLessThan(0.05);
      await shot(`dark-${name}`, { page: dark });
    }
    await context.close();
  }, 90_000);

  it("titles every page's tab", async () => {
    const { server, page } = e2e;
    const schedule = await newSchedule("bookshop");
    for (const [path, title] of [
      ["/", "Dashboard · trawl"],
      ["/scrapers", "Scrapers · trawl"],
      ["/runs", "History · trawl"],
      [`/runs/${runs.bookshop}`, `Run ${runs.bookshop} · trawl`],
      [`/runs/${runs.bookshop}/replay`, `Replay ${runs.bookshop} · trawl`],
      ["/compare", "Compare · trawl"],
      ["/schedules", "Schedules · trawl"],
      [`/schedules/${schedule}`, `Schedule ${schedule} (bookshop) · trawl`],
      ["/datasets", "Datasets · trawl"],
      ["/health", "Health · trawl"],
      ["/no/such/page", "Not found · trawl"],
    ] as const) {
      await page.goto(`${server.url}${path}`);
      await expect.poll(() => page.title(), { timeout: 10_000 }).toBe(title);
    }
  }, 60_000);

  it("lists who did what on the Audit page, filters it by action, and verifies the chain", async () => {
    const { app, server, page, shot } = e2e;
    const schedule = await newSchedule("fleamarket");
    await page.goto(`${server.url}/audit`);
    await expect.poll(() => page.title()).toBe("Audit · trawl");
    const rows = page.getByTestId("audit-row");
    await rows.first().waitFor();
    // Newest first: the schedule just created, through the API.
    expect(await rows.first().getAttribute("data-action")).toBe("schedule.created");
    expect(await rows.first().textContent()).toContain(schedule);
    await page.getByTestId("audit-action").selectOption("run.started");
    await expect
      .poll(() => rows.evaluateAll((all) => [...new Set(all.map((r) => r.dataset.action))]))
      .toEqual(["run.started"]);
    // A run started meanwhile shows up without a reload (the event stream refreshes the page).
    const shown = await rows.count();
    expect((await call("POST", "/api/runs", { file: join(e2e.scrapers, "bookshop.yaml") })).status).toBe(202);
    await expect.poll(() => rows.count()).toBe(shown + 1);
    await page.getByTestId("audit-verify").click();
    const result = page.getByTestId("audit-verify-result");
    await expect.poll(() => result.getAttribute("data-intact")).toBe("true");
    expect(await result.textContent()).toMatch(/^Intact: \d+ entries, head \d+ [0-9a-f]{12}…$/);
    await shot("audit", { fullPage: false });
    // An entry edited behind trawl's back (the append-only trigger dropped) is named.
    const db = new Database(app.paths.database);
    db.exec("DROP TRIGGER audit_log_no_update; UPDATE audit_log SET actor = 'api' WHERE seq = 1");
    db.close();
    await page.getByTestId("audit-verify").click();
    await expect.poll(() => result.getAttribute("data-intact")).toBe("false");
    expect(await result.textContent()).toContain(
      "Broken at entry 1: entry 1 was changed after it was written",
    );
  }, 60_000);

  it("sets, changes and deletes secrets on the Secrets page, never showing a value", async () => {
    const { app, server, page, shot } = e2e;
    const value = "ui-canary-8Hq2vR5m";
    const responses: string[] = [];
    const listen = (response: { url(): string; text(): Promise<string> }) => {
      if (response.url().includes("/api/secrets")) void response.text().then((text) => responses.push(text));
    };
    page.on("response", listen);
    await page.goto(`${server.url}/secrets`);
    await expect.poll(() => page.title()).toBe("Secrets · trawl");
    await page.getByTestId("secret-name").fill("SHOP_TOKEN");
    await page.getByTestId("secret-value").fill(value);
    expect(await page.getByTestId("secret-value").getAttribute("type")).toBe("password");
    await page.getByTestId("secret-save").click();
    const saved = page.getByTestId("secret-saved");
    await saved.waitFor();
    expect(await saved.textContent()).toBe("Added SHOP_TOKEN");
    const row = page.locator('[data-testid="secret-row"][data-secret="SHOP_TOKEN"]');
    await row.waitFor();
    // Write-only: the field is emptied, the page holds the name and dates, never the value.
    expect(await page.getByTestId("secret-value").inputValue()).toBe("");
    expect(await page.content()).not.toContain(value);
    await row.getByTestId("secret-change").click();
    expect(await page.getByTestId("secret-editing").textContent()).toBe("SHOP_TOKEN");
    await page.getByTestId("secret-value").fill(`${value}-2`);
    await page.getByTestId("secret-save").click();
    await expect.poll(() => saved.textContent()).toBe("Changed SHOP_TOKEN");
    expect((await app.secrets.forRun(["SHOP_TOKEN"])).get("SHOP_TOKEN")).toBe(`${value}-2`);
    await shot("secrets", { fullPage: false });
    await row.getByTestId("secret-delete").click();
    await page.getByTestId("secret-delete-confirm").click();
    await page.getByTestId("empty").waitFor();
    expect(await app.secrets.list()).toEqual([]);
    page.off("response", listen);
    expect(responses.join("\n")).not.toContain(value);
  }, 60_000);

  // Last: a PIN locks everything after it (it is removed at the end).
  it("locks with a PIN: the lock screen, wrong PINs refused with the delay shown, the right one, Lock and idle", async () => {
    const { server, browser, app } = e2e;
    // From the CLI, as a user sets it, on the data directory the server serves.
    const set = await runCli(["security", "pin", "set"], { home: app.paths.home, input: "246810\n" });
    expect(set.code, set.stderr).toBe(0);
    const context = await browser.newContext({ viewport: { width: 1280, height: 900 } });
    const page = await context.newPage();
    try {
      await page.clock.install();
      await e2e.signIn(page);
      await page.getByTestId("lock-screen").waitFor();
      // The link's token no longer suffices: nothing of the app shows behind the lock.
      expect(await page.getByTestId("nav-dashboard").count()).toBe(0);
      for (let attempt = 1; attempt <= 5; attempt++) {
        await page.getByTestId("lock-pin").fill("000000");
        await page.getByTestId("lock-unlock").click();
        await expect.poll(() => page.getByTestId("lock-error").textContent()).toBe("wrong PIN");
        await expect.poll(() => page.getByTestId("lock-pin").inputValue()).toBe("");
      }
      // Five wrong in a row: the server makes the next one wait, and the screen says so.
      await page.getByTestId("lock-wait").waitFor();
      expect(await page.getByTestId("lock-unlock").isDisabled()).toBe(true);
      await e2e.shot("lock-screen-wait", { page, fullPage: false });
      await page.getByTestId("lock-wait").waitFor({ state: "detached", timeout: 5000 });
      await page.getByTestId("lock-pin").fill("246810");
      await page.getByTestId("lock-unlock").click();
      await page.getByTestId("nav-dashboard").waitFor();
      // Locked by hand: the Lock button ends the session on the server too.
      await page.getByTestId("lock-now").click();
      await page.getByTestId("lock-screen").waitFor();
      expect((await app.lock.status()).failures).toBe(0);
      await page.getByTestId("lock-pin").fill("246810");
      await page.getByTestId("lock-unlock").click();
      await page.getByTestId("nav-dashboard").waitFor();
      // Idle: 15 minutes without a key or a click lock it again. The idle timer starts once the
      // app knows a PIN is set (the Lock button shows then): on a busy machine that answer can
      // come after the jump, and the timer would start 15 minutes later.
      await page.getByTestId("lock-now").waitFor();
      await page.clock.fastForward("15:01");
      await page.getByTestId("lock-screen").waitFor();
      const status = await fetch(`${server.url}/api/runs`, {
        headers: { cookie: (await context.cookies()).map((c) => `${c.name}=${c.value}`).join("; ") },
      });
      expect(status.status).toBe(401);
    } finally {
      await context.close();
      await app.lock.removePin();
    }
  }, 60_000);
});
