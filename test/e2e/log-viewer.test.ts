/**
 * End to end: the run page's log in a real headless Chromium. Chips count the lines per level and
 * stay right while lines arrive live (no reload); a chip, picked with the keyboard, filters the
 * log to its level. A real run over the fault site, a real server and store.
 */
import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { loadScraper } from "../../src/pipeline/index.ts";
import { startFaultSite } from "../fixtures/fault-site.ts";
import { useE2e } from "./harness.ts";

/** Answers the held `/gate` page; the crawl (and the lines after it) wait for it. */
let openGate: () => void = () => undefined;

const e2e = useE2e({
  prefix: "trawl-log-viewer-",
  site: () =>
    startFaultSite({
      routes: {
        "/index": (_req, res) => {
          const paths = ["/status/404?a", "/status/404?b", "/status/404?c", "/ok", "/gate"];
          res.writeHead(200, { "content-type": "text/html; charset=utf-8" });
          res.end(paths.map((p) => `<a href="${p}">${p}</a>`).join(""));
        },
        "/gate": (_req, res) => {
          openGate = () => {
            openGate = () => undefined;
            res.writeHead(200, { "content-type": "text/html; charset=utf-8" });
            res.end("<p>through</p>");
          };
        },
      },
    }),
  beforeClose: () => openGate(),
});

const chip = (level: string) => e2e.page.locator(`[data-testid="log-chip"][data-level="${level}"]`);

describe("the run page's log", () => {
  it("counts lines per level live, and a chip picked with the keyboard filters them", async () => {
    const { dir, app, server, site, page } = e2e;
    const file = join(dir, "gated.yaml");
    writeFileSync(
      file,
      `name: gated
start: ${site.url}/index
pages:
  index: { follow: [{ pattern: ".*", page: leaf }] }
  leaf: { record: { url: { from: url }, title: h1 } }
politeness: { rate_per_host: 1000, retries: 0, concurrency: 4 }
allow_empty: true # no leaf has a title: validate drops every record
steps:
  - validate: { required: [title] }
`,
    );
    const scraper = await loadScraper(file);
    const run = await app.engine.create(scraper);
    const finished = app.engine.execute(run.id, scraper);
    await expect.poll(() => site.hits("/gate"), { timeout: 15_000 }).toBe(1);

    await page.goto(`${server.url}/runs/${run.id}`);
    await chip("warn").waitFor();
    // Every value the warn chip shows from now on: it may lag, but never count a line twice.
    await page.evaluate(() => {
      const seen: string[] = [];
      (window as unknown as { warnCounts: string[] }).warnCounts = seen;
      const chips = document.querySelector('[data-testid="log-chips"]')!;
      const record = () => {
        const count = chips.querySelector('[data-level="warn"]')?.getAttribute("data-count");
        if (count) seen.push(count);
      };
      record();
      new MutationObserver(record).observe(chips, { subtree: true, attributes: true, childList: true });
    });
    // The three 404s may be logged before or after the page read the counts; the selector health
    // warning (h1 matched on none of the leaves) and the two records validate drops (/ok and
    // /gate have no title) are logged after the gate opens: live.
    openGate();
    expect((await finished).status).toBe("succeeded");
    const { counts: stored, newestAt } = await app.store.logs.tally(run.id);
    expect(stored.warn).toBe(6);
    await expect.poll(() => chip("warn").getAttribute("data-count"), { timeout: 15_000 }).toBe("6");
    await new Promise((resolve) => setTimeout(resolve, 2000)); // the watcher's late copies come and go
    const shown = await page.evaluate(() => (window as unknown as { warnCounts: string[] }).warnCounts);
    expect(Math.max(...shown.map(Number))).toBe(6);
    expect(await chip("error").getAttribute("data-count")).toBe(String(stored.error));
    expect(await chip("info").getAttribute("data-count")).toBe(String(stored.info));
    const all = stored.info + stored.warn + stored.error;
    expect(await chip("all").getAttribute("data-count")).toBe(String(all));
    await expect.poll(() => page.getByTestId("log-line").count()).toBe(all);

    await chip("warn").focus();
    await page.keyboard.press("Enter");
    expect(await chip("warn").getAttribute("aria-pressed")).toBe("true");
    await expect.poll(() => page.getByTestId("log-line").count()).toBe(6);
    const levels = await page
      .getByTestId("log-line")
      .evaluateAll((lines) => lines.map((l) => l.dataset.level));
    expect(new Set(levels)).toEqual(new Set(["warn"]));
    expect(await page.getByTestId("log-viewer").textContent()).toContain("validate: dropped a record");

    // The API serves the same counts with the lines.
    const body = (await (await e2e.fetch(`/api/runs/${run.id}/logs?levels=warn,error`)).json()) as {
      logs: { level: string }[];
      counts: unknown;
      newestAt: string;
    };
    expect(body.counts).toEqual(stored);
    expect(body.newestAt).toBe(new Date(newestAt!).toISOString());
    expect(body.logs.map((l) => l.level)).toEqual(Array(6).fill("warn"));
  }, 60_000);
});
