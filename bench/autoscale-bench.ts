/**
 * The autoscaling scenarios of `npm run bench` (issue 16 §7): `trawl run` of the links-shape
 * scraper against two bench sites in their own process.
 * - **Latency rises with load**: the site serves 8 requests at once, 50 ms each, and queues the
 *   rest. A sweep of fixed concurrencies (2 … 64), `--autoscale-seconds` each, finds the best
 *   pages/s; then `concurrency: auto` runs 60 s. Goal: at least 90 % of the best.
 * - **Throttling**: the site answers 429 at once to a request arriving while 8 are being served.
 *   Fixed 64 against `concurrency: auto`: auto shrinks instead of piling up 429s (their share of
 *   the answers is reported).
 * Pages/s is the run's own: pages done over its running seconds (the crawl stops at
 * `limits.max_runtime`, so process start and steps do not count). Reports, never fails on a goal.
 * Alone: `node --import tsx bench/crawl-bench.ts --autoscale [--autoscale-seconds N]`.
 */
import { writeFile } from "node:fs/promises";
import { join } from "node:path";
import { startBenchSite } from "./demo-server.ts";
import { linksScraperYaml } from "./bench-scraper.ts";
import { measureProcess } from "./measure-process.ts";

/** Products of the site: more than any run here reaches, so each stops at its time limit. */
const PRODUCTS = 40_000;
/** The site's capacity and service time (its best: 8 / 50 ms = 160 pages/s). */
const CAPACITY = 8;
const SERVICE_MS = 50;
const SWEEP = [2, 4, 8, 16, 32, 64];
const AUTO_SECONDS = 60;

/** What one run got. */
interface Crawl {
  pages: number;
  seconds: number;
  pagesPerSecond: number;
  throttled: number;
  requests: number;
}

/** The part of `trawl run --json`'s summary read here. */
interface SummaryJson {
  pages: { done: number };
  stats?: { runningSeconds?: number; requests?: number; statusCodes?: Record<string, number> };
}

async function crawl(
  trawlBin: string,
  cwd: string,
  tmp: string,
  origin: string,
  concurrency: number | "auto",
  seconds: number,
): Promise<Crawl> {
  const file = join(tmp, `autoscale-${concurrency}.yaml`);
  const yaml = linksScraperYaml(origin)
    .replace(/politeness: \{ concurrency: \d+,/, `politeness: { retries: 0, concurrency: ${concurrency},`)
    .replace(
      "name: crawl-bench-links",
      `name: autoscale-${concurrency}\nlimits: { max_runtime: ${seconds}s }`,
    );
  await writeFile(file, yaml);
  const home = join(tmp, `autoscale-home-${concurrency}-${Date.now()}`);
  const env = { ...process.env, TRAWL_HOME: home };
  const run = await measureProcess(process.execPath, [trawlBin, "run", file, "--json"], { env, cwd });
  const summary = JSON.parse(run.stdout) as SummaryJson;
  const runSeconds = summary.stats?.runningSeconds ?? run.wallSeconds;
  const throttled = summary.stats?.statusCodes?.["429"] ?? 0;
  return {
    pages: summary.pages.done,
    seconds: runSeconds,
    pagesPerSecond: summary.pages.done / runSeconds,
    throttled,
    requests: summary.stats?.requests ?? 0,
  };
}

const row = (label: string, c: Crawl) =>
  `| ${label} | ${c.pages} | ${c.seconds.toFixed(1)} s | ${c.pagesPerSecond.toFixed(1)} | ${c.throttled} (${((100 * c.throttled) / Math.max(1, c.requests)).toFixed(1)} %) |`;

/**
 * Runs both scenarios and returns their markdown report.
 * @param sweepSeconds - How long each fixed concurrency of the sweep runs.
 */
export async function autoscaleBench(
  trawlBin: string,
  cwd: string,
  tmp: string,
  sweepSeconds = 15,
): Promise<string> {
  const lines = [
    `## concurrency: auto (a site serving ${CAPACITY} at once, ${SERVICE_MS} ms each)`,
    "",
    "| concurrency | pages | running | pages/s | 429s |",
    "| --- | ---: | ---: | ---: | ---: |",
  ];
  const queueing = await startBenchSite({
    shape: "links",
    size: PRODUCTS,
    latencyMs: SERVICE_MS,
    capacity: CAPACITY,
  });
  let best = 0;
  let auto: Crawl;
  try {
    for (const concurrency of SWEEP) {
      const fixed = await crawl(trawlBin, cwd, tmp, queueing.origin, concurrency, sweepSeconds);
      process.stderr.write(`autoscale: fixed ${concurrency}: ${fixed.pagesPerSecond.toFixed(1)} pages/s\n`);
      best = Math.max(best, fixed.pagesPerSecond);
      lines.push(row(`${concurrency}`, fixed));
    }
    auto = await crawl(trawlBin, cwd, tmp, queueing.origin, "auto", AUTO_SECONDS);
    process.stderr.write(`autoscale: auto: ${auto.pagesPerSecond.toFixed(1)} pages/s\n`);
    lines.push(row(`auto (${AUTO_SECONDS} s)`, auto));
  } finally {
    await queueing.stop();
  }
  const share = auto.pagesPerSecond / best;
  lines.push(
    "",
    `- auto within ${AUTO_SECONDS} s at least 90 % of the best fixed: ${share >= 0.9 ? "met" : "NOT met"} — ${(100 * share).toFixed(0)} %`,
    "",
    `## concurrency: auto on a site that answers 429 past ${CAPACITY} at once (${SERVICE_MS} ms each)`,
    "",
    "| concurrency | pages | running | pages/s | 429s |",
    "| --- | ---: | ---: | ---: | ---: |",
  );
  const throttling = await startBenchSite({
    shape: "links",
    size: PRODUCTS,
    latencyMs: SERVICE_MS,
    throttleAbove: CAPACITY,
  });
  try {
    const fixed = await crawl(trawlBin, cwd, tmp, throttling.origin, 64, sweepSeconds);
    const scaled = await crawl(trawlBin, cwd, tmp, throttling.origin, "auto", sweepSeconds);
    lines.push(row("64", fixed), row("auto", scaled));
    const shareOf = (c: Crawl) => c.throttled / Math.max(1, c.requests);
    lines.push(
      "",
      `- auto shrinks instead of piling up 429s: ${shareOf(scaled) < shareOf(fixed) / 4 ? "met" : "NOT met"} — ${(100 * shareOf(scaled)).toFixed(1)} % of answers 429 against ${(100 * shareOf(fixed)).toFixed(1)} % at 64`,
      "",
    );
  } finally {
    await throttling.stop();
  }
  return lines.join("\n");
}
