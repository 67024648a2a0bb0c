/**
 * `npm run bench:ui`: how fast the web app is. Reports (medians and p99 over many samples):
 * - first render: navigation start → the dashboard's active runs drawn, over fresh page loads;
 * - event latency: an engine event published in the server → the changed text in the browser's
 *   DOM, for `run.updated` events (a run's summary) of a running run.
 * - the records page at a million stored records (bench/records-latency.ts): first page, sorted
 *   pages, searches, filters and downloads through the API, and the run page in the browser.
 * Runs the real server, engine and built app (npm run build:ui) in a headless Chromium.
 * Options: --loads N, --events N, --records N (0: skip the records part), --ui-dir DIR (a build of
 * the app other than ui/dist).
 */
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import http from "node:http";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { performance } from "node:perf_hooks";
import { parseArgs } from "node:util";
import { chromium } from "playwright-core";
import { App } from "../src/app/index.ts";
import { locateChromium } from "../src/fetch/browser/locate-chromium.ts";
import { loadScraper } from "../src/pipeline/index.ts";
import { startServer } from "../src/server/index.ts";
import { measureRecords } from "./records-latency.ts";

const { values } = parseArgs({
  options: {
    loads: { type: "string" },
    events: { type: "string" },
    records: { type: "string" },
    "ui-dir": { type: "string" },
  },
});
const LOADS = Number(values.loads ?? 20);
const EVENTS = Number(values.events ?? 300);
const RECORDS = Number(values.records ?? 1_000_000);
const UI_DIR = values["ui-dir"];

function quantile(values: number[], q: number): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))]!;
}

const wallNow = () => performance.timeOrigin + performance.now();

async function main(): Promise<void> {
  const dir = mkdtempSync(join(tmpdir(), "trawl-bench-ui-"));
  // A site whose one page never answers: the run stays running while events are measured.
  const held: http.ServerResponse[] = [];
  const site = http.createServer((_req, res) => void held.push(res)).listen(0, "127.0.0.1");
  await new Promise((resolve) => site.once("listening", resolve));
  const siteUrl = `http://127.0.0.1:${(site.address() as { port: number }).port}`;
  const file = join(dir, "held.yaml");
  writeFileSync(
    file,
    `name: held\ntargets: [{ name: north, start: "${siteUrl}/" }]\npages:\n  page:\n    record: { t: h1 }\npoliteness: { robots: ignore, timeout: 10m }\n`,
  );
  const app = await App.open({ home: join(dir, "home") });
  const server = await startServer({ app, port: 0, scheduler: false, ...(UI_DIR && { uiDir: UI_DIR }) });
  const found = await locateChromium({ ...process.env, PATH: "/nonexistent" });
  const browser = await chromium.launch({
    executablePath: found.executablePath,
    env: { ...process.env, ...found.env },
  });
  try {
    const run = await app.engine.create(await loadScraper(file));
    const execution = app.engine.execute(run.id, await loadScraper(file));
    const page = await browser.newPage({ locale: "en-US" });

    const renders: number[] = [];
    for (let i = 0; i < LOADS; i++) {
      await page.goto(server.url, { waitUntil: "commit" });
      await page.waitForSelector(
        `[data-testid="active-run"][data-run-id="${run.id}"] [data-testid="target-row"]`,
      );
      renders.push(await page.evaluate(() => performance.now()));
    }

    const cell = `[data-testid="active-run"][data-run-id="${run.id}"] [data-target="north"] [data-testid="target-pages"]`;
    await page.evaluate((selector) => {
      const seen: [string, number][] = [];
      (window as unknown as { __seen: typeof seen }).__seen = seen;
      const target = document.querySelector(selector)!;
      new MutationObserver(() =>
        seen.push([target.textContent ?? "", performance.timeOrigin + performance.now()]),
      ).observe(target, { childList: true, characterData: true, subtree: true });
    }, cell);
    const published = new Map<number, number>();
    // The app draws runs from their summaries (`run.updated`); progress rides in them.
    const summary = await app.describe((await app.store.runs.get(run.id))!);
    for (let i = 1; i <= EVENTS; i++) {
      published.set(i, wallNow());
      server.hub.publish({
        type: "run.updated",
        runId: run.id,
        summary: {
          ...summary,
          pages: { done: i, failed: 0, pending: 100_000 - i },
          records: i,
          targets: [
            { name: "north", status: "running", pagesDone: i, pagesKnown: 100_000, records: i, errors: 0 },
          ],
        },
      });
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
    await new Promise((resolve) => setTimeout(resolve, 500));
    const seen = await page.evaluate(() => (window as unknown as { __seen: [string, number][] }).__seen);
    // The cell reads "done / known" (numbers formatted for the locale): match on "done".
    const doneOf = (text: string) => Number(/^([\d,]+) \//.exec(text)?.[1]?.replaceAll(",", "") ?? NaN);
    const latencies = seen
      .filter(([text]) => published.has(doneOf(text)))
      .map(([text, at]) => at - published.get(doneOf(text))!);

    await app.engine.cancel(run.id);
    for (const res of held) res.destroy();
    await execution.catch(() => undefined);

    const row = (name: string, samples: number[], goal: string) =>
      `| ${name} | ${samples.length} | ${quantile(samples, 0.5).toFixed(1)} | ${quantile(samples, 0.99).toFixed(1)} | ${goal} |`;
    process.stdout.write(
      [
        "## web app benchmark",
        "",
        "| measure | samples | median ms | p99 ms | goal |",
        "|---|--:|--:|--:|---|",
        row("first render of the dashboard (navigation → active runs drawn)", renders, "< 1000 ms"),
        row("engine event → browser DOM (run.updated)", latencies, "p99 < 100 ms"),
        "",
        `- events seen in the DOM: ${latencies.length} of ${EVENTS} (React may batch two events 20 ms apart into one render)`,
        `- browser: Chromium ${browser.version()} headless (${found.source}); command: \`npm run bench:ui\``,
        "",
      ].join("\n"),
    );
    if (RECORDS > 0)
      process.stdout.write(await measureRecords({ browser, dir, count: RECORDS, uiDir: UI_DIR }));
  } finally {
    await browser.close();
    await server.close();
    await app.close();
    site.close();
    rmSync(dir, { recursive: true, force: true });
  }
}

await main();
