/**
 * The revisit scenario of `npm run bench -- --revisit` (issue 14 §7): `trawl run` twice over the
 * same unchanged links-shape site (3,000 products by default) in one `TRAWL_HOME`, with
 * `cache: revalidate`; the site sends an `ETag` and answers `If-None-Match` with `304`
 * (`site-server.ts`). Prints the body bytes each run received (trawl's `stats.bytes`), its 304s
 * and its wall time, against the goals: the second run under 10 % of the first's bytes and under
 * a third of its time, as the median of three pairs (each pair in a fresh data directory, the site
 * warmed up by a run without the cache first, which also shows what keeping the pages costs).
 * Reports, never fails on a goal. See bench/README.md.
 */
import { mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { startBenchSite } from "./demo-server.ts";
import { writeBenchScraper } from "./bench-scraper.ts";
import { measureProcess } from "./measure-process.ts";

/** First-and-second-run pairs measured; the median pair's share is the figure. */
const PAIRS = 3;

/** What one run of the scenario got. */
interface RevisitRun {
  pages: number;
  records: number;
  bytes: number;
  notModified: number;
  wallSeconds: number;
}

/** The part of `trawl run --json`'s summary read here. */
interface SummaryJson {
  status: string;
  records: number;
  pages: { done: number };
  stats?: { bytes?: number; notModified?: number };
}

async function runOnce(
  trawlBin: string,
  scraperFile: string,
  home: string,
  cwd: string,
): Promise<RevisitRun> {
  const env = { ...process.env, TRAWL_HOME: home };
  const run = await measureProcess(process.execPath, [trawlBin, "run", scraperFile, "--json"], { env, cwd });
  if (run.exitCode !== 0) throw new Error(`trawl run exited ${run.exitCode}: ${run.stderrTail}`);
  const summary = JSON.parse(run.stdout) as SummaryJson;
  if (summary.status !== "succeeded") throw new Error(`trawl run ended ${summary.status}`);
  return {
    pages: summary.pages.done,
    records: summary.records,
    bytes: summary.stats?.bytes ?? 0,
    notModified: summary.stats?.notModified ?? 0,
    wallSeconds: run.wallSeconds,
  };
}

function row(label: string, run: RevisitRun): string {
  const mb = (run.bytes / 1e6).toFixed(2);
  return `| ${label} | ${run.pages} | ${run.records} | ${mb} MB | ${run.notModified} | ${run.wallSeconds.toFixed(1)} s |`;
}

/**
 * Runs the scenario and returns its markdown report.
 * @param products - Products of the links-shape site.
 * @param latencyMs - The site's answer delay.
 */
export async function revisitBench(
  products: number,
  latencyMs: number,
  trawlBin: string,
  cwd: string,
  tmp: string,
): Promise<string> {
  const server = await startBenchSite({ shape: "links", size: products, latencyMs });
  try {
    const plain = await writeBenchScraper(tmp, server.origin, "links");
    const file = join(tmp, "crawl-bench-revisit.yaml");
    const yaml = await readFile(plain, "utf8");
    await writeFile(file, yaml.replace("politeness: { ", "politeness: { cache: revalidate, "));
    // What keeping the pages costs the first run: the same crawl without the cache, in its own
    // home. It also warms the site up: every pair below meets a warm server.
    const uncached = await inFreshHome(tmp, (home) => runOnce(trawlBin, plain, home, cwd));
    process.stderr.write(
      `revisit: links shape, ${products} products, ${latencyMs} ms latency, ${server.origin}\n`,
    );
    const pairs: { first: RevisitRun; second: RevisitRun }[] = [];
    for (let i = 0; i < PAIRS; i++) {
      pairs.push(
        await inFreshHome(tmp, async (home) => {
          const first = await runOnce(trawlBin, file, home, cwd);
          const second = await runOnce(trawlBin, file, home, cwd);
          process.stderr.write(
            `  pair ${i + 1}: first ${first.wallSeconds.toFixed(2)} s, second ${second.wallSeconds.toFixed(2)} s\n`,
          );
          return { first, second };
        }),
      );
    }
    const shares = pairs.map((p) => p.second.wallSeconds / p.first.wallSeconds).sort((a, b) => a - b);
    const timeShare = shares[Math.floor(shares.length / 2)]!;
    const { first, second } = pairs.find((p) => p.second.wallSeconds / p.first.wallSeconds === timeShare)!;
    const byteShare = first.bytes > 0 ? second.bytes / first.bytes : 0;
    return [
      `## revisit: trawl run twice over an unchanged site, cache: revalidate (${products} products, ${latencyMs} ms latency)`,
      "",
      `The pair with the median time share of ${PAIRS} (each in a fresh data directory, the site warm):`,
      "",
      "| run | pages | records | body bytes | 304s | wall time |",
      "| --- | ---: | ---: | ---: | ---: | ---: |",
      row("without cache", uncached),
      row("first", first),
      row("second", second),
      "",
      `- second run's bytes under 10 % of the first's: ${byteShare < 0.1 ? "met" : "NOT met"} — ${(100 * byteShare).toFixed(1)} %`,
      `- second run's time under a third of the first's: ${timeShare < 1 / 3 ? "met" : "NOT met"} — median ${(100 * timeShare).toFixed(1)} % (pairs: ${shares.map((x) => (100 * x).toFixed(1)).join(", ")} %)`,
      `- same records: ${first.records === second.records ? "yes" : "NO"} (${second.records})`,
      "",
    ].join("\n");
  } finally {
    await server.stop();
  }
}

/** Runs `work` with a fresh data directory, removed after. */
async function inFreshHome<T>(tmp: string, work: (home: string) => Promise<T>): Promise<T> {
  const home = await mkdtemp(join(tmp, "revisit-home-"));
  try {
    return await work(home);
  } finally {
    await rm(home, { recursive: true, force: true });
  }
}
