/**
 * The two measured variants, each one child process: the bare undici + cheerio loop (the
 * ceiling) and `trawl run --json` with full persistence in a fresh `TRAWL_HOME`.
 */
import { readdirSync, statSync } from "node:fs";
import { mkdtemp, rm } from "node:fs/promises";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import type { BareLoopResult } from "./bare-loop.ts";
import { BENCH_CONCURRENCY } from "./bench-scraper.ts";
import { measureProcess, type ProcessMeasurement } from "./measure-process.ts";
import type { SiteShape } from "./site-server.ts";

/** The variants, in table order. */
export type VariantName = "bare loop" | "trawl run";

/** One run of one variant. */
export interface Sample {
  variant: VariantName;
  pages: number;
  records: number;
  /** Pages per second of wall time, spawn → exit (start-up and, for trawl, post-crawl steps included). */
  pagesPerSecond: number;
  /** The variant's own rate: the bare loop's crawl-only rate, trawl's `stats.pagesPerSecond`. */
  ownPagesPerSecond: number | null;
  wallSeconds: number;
  cpuSeconds: number;
  peakRssMb: number;
}

const ROOT = fileURLToPath(new URL("..", import.meta.url));
const BARE_LOOP = join(ROOT, "bench", "bare-loop.ts");
const TRAWL_BIN = join(ROOT, "bin", "trawl.js");

/** `bin/trawl.js` of a checkout (this one by default). */
export function trawlBinOf(checkout: string = ROOT): string {
  return join(checkout, "bin", "trawl.js");
}

function newestBelow(dir: string): number {
  let latest = 0;
  for (const entry of readdirSync(dir, { withFileTypes: true, recursive: true })) {
    if (entry.isFile()) latest = Math.max(latest, statSync(join(entry.parentPath, entry.name)).mtimeMs);
  }
  return latest;
}

/**
 * Whether `bin/trawl.js` of `checkout` will run its bundle (`dist/cli`, `npm run build:cli`) rather
 * than the sources through tsx, which costs every process ≈ 0.5 s and tens of MB more.
 */
export function runsFromBundle(checkout: string = ROOT): boolean {
  try {
    return statSync(join(checkout, "dist", "cli", "main.js")).mtimeMs >= newestBelow(join(checkout, "src"));
  } catch {
    return false;
  }
}

function failure(what: string, run: ProcessMeasurement): Error {
  return new Error(`${what} exited with ${run.exitCode}:\n${run.stderrTail.trim()}`);
}

function sampleOf(variant: VariantName, run: ProcessMeasurement, pages: number, records: number): Sample {
  return {
    variant,
    pages,
    records,
    pagesPerSecond: pages / run.wallSeconds,
    ownPagesPerSecond: null,
    wallSeconds: run.wallSeconds,
    cpuSeconds: run.cpuSeconds,
    peakRssMb: run.peakRssMb,
  };
}

/** Runs the bare loop against the site of `shape` at `origin`. */
export async function runBareLoop(origin: string, shape: SiteShape = "forward"): Promise<Sample> {
  const concurrency = String(BENCH_CONCURRENCY);
  const args = [
    "--import",
    "tsx",
    BARE_LOOP,
    "--origin",
    origin,
    "--shape",
    shape,
    "--concurrency",
    concurrency,
  ];
  const run = await measureProcess(process.execPath, args, { cwd: ROOT });
  if (run.exitCode !== 0) throw failure("bare loop", run);
  const result = JSON.parse(run.stdout) as BareLoopResult;
  return {
    ...sampleOf("bare loop", run, result.pages, result.records),
    ownPagesPerSecond: result.pagesPerSecond,
  };
}

/** The part of `trawl run --json`'s summary the bench reads. */
interface RunSummaryJson {
  status: string;
  records: number;
  pages: { done: number; failed: number };
  stats?: { pagesPerSecond?: number };
}

/**
 * Runs `trawl run <scraperFile> --json` in a fresh, afterwards deleted, `TRAWL_HOME`.
 * @param trawlBin - The `bin/trawl.js` to run (another checkout's, for an A/B). @defaultValue this checkout's
 */
export async function runTrawl(scraperFile: string, tmpDir: string, trawlBin = TRAWL_BIN): Promise<Sample> {
  const home = await mkdtemp(join(tmpDir, "home-"));
  try {
    const env = { ...process.env, TRAWL_HOME: home };
    const run = await measureProcess(process.execPath, [trawlBin, "run", scraperFile, "--json"], {
      env,
      cwd: ROOT,
    });
    if (run.exitCode !== 0) throw failure("trawl run", run);
    const summary = JSON.parse(run.stdout) as RunSummaryJson;
    if (summary.status !== "succeeded") throw new Error(`trawl run ended ${summary.status}`);
    return {
      ...sampleOf("trawl run", run, summary.pages.done, summary.records),
      ownPagesPerSecond: summary.stats?.pagesPerSecond ?? null,
    };
  } finally {
    await rm(home, { recursive: true, force: true });
  }
}
