/**
 * Parts 2 and 3 of the workers bench (issue 17), with real processes: `node bin/trawl.js run`
 * (the coordinator, which executes the run and crawls as one worker) and `node bin/trawl.js
 * worker` processes, each in a data directory of its own as on a machine of its own, against
 * the link-heavy site (`link-catalogue.ts`) in its own process.
 *
 * - **Fleet**: a latency-bound crawl (every answer held back 50 ms): the coordinator and three
 *   `trawl worker`s (4 workers, each with the scraper's concurrency) against the coordinator
 *   alone. The workers are started first and idle until the run appears (they wake on its
 *   NOTIFY). The ratio compares the steady pace (`crawl-pace.ts`: pages/s between a fifth and
 *   four fifths of the pages, read from the database); pages ÷ the coordinator's wall time,
 *   spawn → exit, is shown beside it.
 * - **Backends**: one `trawl run` on PostgreSQL against one on SQLite, the crawl bench's
 *   scraper on the same warm site, at each latency.
 *
 * Each measurement uses a fresh database and fresh data directories; the variants of a pair run
 * one after the other, their order turned each pair, and the figure is the median pair's ratio.
 */
import { spawn } from "node:child_process";
import { once } from "node:events";
import { mkdtemp, writeFile } from "node:fs/promises";
import { join } from "node:path";
import type { BenchPostgres } from "./bench-postgres.ts";
import { linksScraperYaml, writeBenchScraper } from "./bench-scraper.ts";
import { startBenchSite } from "./demo-server.ts";
import { linkCatalogue, linkCataloguePages } from "./link-catalogue.ts";
import { watchCrawlPace } from "./crawl-pace.ts";
import { measureProcess, reapedChildrenCpuSeconds } from "./measure-process.ts";

/** Where and how the processes run. */
export interface FleetContext {
  server: BenchPostgres;
  trawlBin: string;
  cwd: string;
  tmp: string;
  /** Pairs per comparison. */
  pairs: number;
}

/** The fleet comparison's site latency and goal (issue 17). */
export const FLEET_LATENCY_MS = 50;
export const FLEET_GOAL = 3.5;
/** Workers of the fleet variant, the coordinator included. */
const FLEET_SIZE = 4;
/**
 * Requests in flight per process: low, so that the crawl waits on the site, not on the CPU. Four
 * processes at 2 × 20 requests/s each need about a core of trawl's CPU on this link-heavy site
 * (≈ 5 ms per page each, start-up included); at 4 each they needed more than the 2 cores have.
 */
const FLEET_CONCURRENCY = 2;
/** Products of the fleet's site: ~25 s for one process at 2 × 20 requests/s. */
const FLEET_PRODUCTS = 800;
/** Products of the backends' site (the crawl bench's default size). */
const BACKENDS_PRODUCTS = 3_000;
/** The backends' goal: PostgreSQL's pages/s at least SQLite's ÷ 1.5. */
export const BACKENDS_GOAL = 1.5;

/** One measured crawl. */
interface Crawl {
  pages: number;
  wallSeconds: number;
  pagesPerSecond: number;
  /** CPU of every trawl process of the crawl (not the site's, nor PostgreSQL's). */
  cpuSeconds: number;
  /** Pages per second between a fifth and four fifths of the pages (`crawl-pace.ts`); PostgreSQL only. */
  steadyPagesPerSecond?: number;
}

/** A comparison: each pair's two crawls and their ratio, and the median pair. */
export interface PairsResult {
  /** `ratio`: of the compared pace; `wallRatio`: of pages ÷ wall time. */
  pairs: { a: Crawl; b: Crawl; ratio: number; wallRatio: number }[];
  median: number;
  wallMedian: number;
}

/** The environment of a trawl process: its data directory, and the database unless SQLite. */
async function trawlEnv(ctx: FleetContext, database: string | undefined): Promise<NodeJS.ProcessEnv> {
  const env: NodeJS.ProcessEnv = { ...process.env, TRAWL_HOME: await mkdtemp(join(ctx.tmp, "home-")) };
  delete env.TRAWL_DATABASE_URL;
  return database === undefined ? env : { ...env, TRAWL_DATABASE_URL: database };
}

/** `trawl run FILE --json` to its end. */
async function runCrawl(ctx: FleetContext, file: string, database: string | undefined): Promise<Crawl> {
  const env = await trawlEnv(ctx, database);
  const run = await measureProcess(process.execPath, [ctx.trawlBin, "run", file, "--json"], {
    env,
    cwd: ctx.cwd,
  });
  if (run.exitCode !== 0) throw new Error(`trawl run exited ${run.exitCode}: ${run.stderrTail}`);
  const summary = JSON.parse(run.stdout) as { status: string; pages: { done: number } };
  if (summary.status !== "succeeded") throw new Error(`trawl run ended ${summary.status}`);
  const pages = summary.pages.done;
  return {
    pages,
    wallSeconds: run.wallSeconds,
    pagesPerSecond: pages / run.wallSeconds,
    cpuSeconds: run.cpuSeconds,
  };
}

/** A `trawl worker` once it serves (idle until a run appears); `stop` ends it with SIGTERM. */
async function startWorker(ctx: FleetContext, database: string) {
  const env = await trawlEnv(ctx, database);
  const child = spawn(process.execPath, [ctx.trawlBin, "worker"], {
    env,
    cwd: ctx.cwd,
    stdio: ["ignore", "ignore", "pipe"],
  });
  let stderr = "";
  const exited = once(child, "exit");
  await new Promise<void>((resolve, reject) => {
    child.stderr.on("data", (chunk: Buffer) => {
      stderr += chunk.toString("utf8");
      if (/serving every running run/.test(stderr)) resolve();
    });
    void exited.then(() => reject(new Error(`trawl worker exited early: ${stderr.slice(-2000)}`)));
  });
  return {
    /** Pages this worker finished (`left run … (N pages here)`). */
    pages: () => [...stderr.matchAll(/\((\d+) pages here\)/g)].reduce((sum, m) => sum + Number(m[1]), 0),
    stop: async () => {
      if (child.exitCode !== null || child.signalCode !== null) return;
      child.kill("SIGTERM");
      const timer = setTimeout(() => child.kill("SIGKILL"), 10_000);
      await exited;
      clearTimeout(timer);
    },
  };
}

/** The coordinator alone (workers: 0) or with `workers` idle workers started beforehand. */
async function fleetCrawl(ctx: FleetContext, file: string, workers: number): Promise<Crawl> {
  const database = await ctx.server.freshDatabase(`fleet${workers}`);
  const cpuBefore = reapedChildrenCpuSeconds();
  const started = await Promise.all(Array.from({ length: workers }, () => startWorker(ctx, database)));
  const pace = await watchCrawlPace(database);
  let crawl: Crawl;
  let steady: number | undefined;
  try {
    crawl = await runCrawl(ctx, file, database);
  } finally {
    steady = await pace.stop();
    await Promise.all(started.map((w) => w.stop()));
  }
  if (workers > 0)
    process.stderr.write(`    pages finished by the workers: ${started.map((w) => w.pages()).join(", ")}\n`);
  // The workers' CPU too, idle start included: they are reaped now.
  return {
    ...crawl,
    cpuSeconds: reapedChildrenCpuSeconds() - cpuBefore,
    ...(steady !== undefined && { steadyPagesPerSecond: steady }),
  };
}

const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)]!;

/**
 * `pairs` pairs of `a` and `b`, the order turned each pair; ratio = a's pace ÷ b's, the pace
 * being `paceOf` (pages ÷ wall time unless told).
 */
async function comparePairs(
  label: string,
  pairs: number,
  a: () => Promise<Crawl>,
  b: () => Promise<Crawl>,
  paceOf: (crawl: Crawl) => number = (crawl) => crawl.pagesPerSecond,
): Promise<PairsResult> {
  const results: PairsResult["pairs"] = [];
  for (let i = 0; i < pairs; i++) {
    const [first, second] = i % 2 === 0 ? [a, b] : [b, a];
    const one = await first();
    const two = await second();
    const [ca, cb] = i % 2 === 0 ? [one, two] : [two, one];
    const ratio = paceOf(ca) / paceOf(cb);
    const wallRatio = ca.pagesPerSecond / cb.pagesPerSecond;
    process.stderr.write(
      `  ${label}, pair ${i + 1}/${pairs}: ${describe(ca)} against ${describe(cb)}: ×${ratio.toFixed(2)}\n`,
    );
    results.push({ a: ca, b: cb, ratio, wallRatio });
  }
  return {
    pairs: results,
    median: median(results.map((p) => p.ratio)),
    wallMedian: median(results.map((p) => p.wallRatio)),
  };
}

function describe(crawl: Crawl): string {
  return (
    `${crawl.pages} pages in ${crawl.wallSeconds.toFixed(1)} s (${crawl.pagesPerSecond.toFixed(0)}/s, ` +
    `${crawl.cpuSeconds.toFixed(1)} CPU s` +
    `${crawl.steadyPagesPerSecond === undefined ? "" : `, steady ${crawl.steadyPagesPerSecond.toFixed(0)}/s`})`
  );
}

/** Part 2: the coordinator and three workers against the coordinator alone, 50 ms per answer. */
export async function fleetBench(ctx: FleetContext): Promise<PairsResult> {
  const site = await startBenchSite({ shape: "links", size: FLEET_PRODUCTS, latencyMs: FLEET_LATENCY_MS });
  try {
    const file = join(ctx.tmp, "workers-bench-fleet.yaml");
    const yaml = linksScraperYaml(site.origin, { concurrency: FLEET_CONCURRENCY, steps: false });
    await writeFile(file, yaml.replace("name: crawl-bench-links", "name: workers-bench-fleet"));
    const { products, lists } = linkCataloguePages(linkCatalogue(FLEET_PRODUCTS));
    process.stderr.write(
      `fleet: ${products} products + ${lists} list pages, ${FLEET_LATENCY_MS} ms latency, concurrency ${FLEET_CONCURRENCY} per process, at ${site.origin}\n`,
    );
    return await comparePairs(
      `${FLEET_SIZE} workers vs 1`,
      ctx.pairs,
      () => fleetCrawl(ctx, file, FLEET_SIZE - 1),
      () => fleetCrawl(ctx, file, 0),
      (crawl) => crawl.steadyPagesPerSecond ?? crawl.pagesPerSecond,
    );
  } finally {
    await site.stop();
  }
}

/** Part 3: one `trawl run` on PostgreSQL against one on SQLite, the crawl bench's scraper, at `latencyMs`. */
export async function backendsBench(ctx: FleetContext, latencyMs: number): Promise<PairsResult> {
  const site = await startBenchSite({ shape: "links", size: BACKENDS_PRODUCTS, latencyMs });
  try {
    const file = await writeBenchScraper(ctx.tmp, site.origin, "links");
    process.stderr.write(
      `backends: ${BACKENDS_PRODUCTS} products, ${latencyMs} ms latency, at ${site.origin}\n`,
    );
    // The site's first crawl is slower (its JIT warming up): not part of any pair.
    await runCrawl(ctx, file, undefined);
    return await comparePairs(
      `PostgreSQL vs SQLite at ${latencyMs} ms`,
      ctx.pairs,
      async () => runCrawl(ctx, file, await ctx.server.freshDatabase("backends")),
      () => runCrawl(ctx, file, undefined),
    );
  } finally {
    await site.stop();
  }
}

/** The parts' markdown. */
export function fleetReport(
  fleet: PairsResult,
  backends: { latencyMs: number; result: PairsResult }[],
): string[] {
  const pairRatios = (r: PairsResult) => r.pairs.map((p) => `×${p.ratio.toFixed(2)}`).join(", ");
  const pagesPerSecond = (r: PairsResult, pick: "a" | "b") =>
    median(r.pairs.map((p) => p[pick].pagesPerSecond)).toFixed(0);
  const steady = (pick: "a" | "b") =>
    median(fleet.pairs.map((p) => p[pick].steadyPagesPerSecond ?? Number.NaN)).toFixed(0);
  const lines = [
    `### latency-bound crawl (${FLEET_LATENCY_MS} ms per answer, concurrency ${FLEET_CONCURRENCY} per process): ${FLEET_SIZE} workers against 1`,
    "",
    "| processes | steady pages/s (1/5 → 4/5 of the pages) | pages/s (pages ÷ wall time) |",
    "| --- | --: | --: |",
    `| 1: trawl run alone | ${steady("b")} | ${pagesPerSecond(fleet, "b")} |`,
    `| ${FLEET_SIZE}: trawl run + ${FLEET_SIZE - 1} trawl worker | ${steady("a")} | ${pagesPerSecond(fleet, "a")} |`,
    "",
    `- steady ratio ≥ ${FLEET_GOAL}×: ${fleet.median >= FLEET_GOAL ? "met" : "NOT met"} — median ×${fleet.median.toFixed(2)} (pairs: ${pairRatios(fleet)}); ` +
      `by wall time (start-up and the draining tail included) ×${fleet.wallMedian.toFixed(2)}`,
    "",
    `### one process on PostgreSQL against SQLite (crawl bench scraper, links shape, ${BACKENDS_PRODUCTS} products, concurrency 16)`,
    "",
    "| latency | SQLite pages/s | PostgreSQL pages/s | PostgreSQL ÷ SQLite (median pair) | pairs | goal: within 1.5× |",
    "| --: | --: | --: | --: | --- | --- |",
  ];
  for (const { latencyMs, result } of backends) {
    const met = result.median >= 1 / BACKENDS_GOAL;
    lines.push(
      `| ${latencyMs} ms | ${pagesPerSecond(result, "b")} | ${pagesPerSecond(result, "a")} | ×${result.median.toFixed(2)} | ${pairRatios(result)} | ${met ? "met" : "NOT met"} |`,
    );
  }
  return lines;
}
