/**
 * `npm run bench [-- options]`: crawls two generated catalogues served on loopback (each in its
 * own process) with a bare undici + cheerio loop and with `trawl run` (full persistence), R times
 * each in alternating order, at each server latency, and prints one markdown table of medians
 * (pages/s, CPU, peak RSS median and maximum). The shapes: `forward`, the demo bookshop whose
 * links point forward only, and `links`, a shop whose product pages carry ~40 links to other
 * products (`link-catalogue.ts`). Then, if asked, the memory part (trawl alone on the link-heavy
 * shape at growing sizes), the browser rows, and the throttling scenarios (throttle-bench.ts,
 * about 90 s). It reports the goals of the issues but never
 * fails on them; the exit code is non-zero only when a variant could not run. See bench/README.md.
 *
 * Options: `--pages N` (forward shape, default 20,000), `--products N` (links shape, default
 * 3,000), `--quick` (2,000 pages and 1,000 products), `--repeat R` (default 3), `--shapes
 * forward,links`, `--latencies 0,20` (ms), `--memory 20000,50000,100000` (products of the memory
 * part; default none), `--memory-repeat R` (default `--repeat`), `--browser-pages N`,
 * `--no-browser`, `--no-throttle`, `--trawl DIR` (the checkout whose `bin/trawl.js` is measured; default this one),
 * `--revisit` (only the revisit scenario, `revisit-bench.ts`, on `--products` at each `--latencies`),
 * `--audit` (only the audit log scenario, `audit-bench.ts`: verify `--audit-entries N`, default 1,000,000;
 * the full bench ends with it), `--unlock` (only the unlock scenario, `unlock-bench.ts`: `--unlocks N`
 * unlocks with the right PIN, default 200; the full bench ends with it too), `--diagnostics` (only the
 * diagnostics bundle scenario, `diagnostics-bench.ts`, over `--diagnostics-records N`, default 1,000,000;
 * the full bench ends with it too), `--autoscale` (only the `concurrency: auto` scenarios,
 * `autoscale-bench.ts`, each fixed concurrency of the sweep for `--autoscale-seconds N`, default 15;
 * the full bench runs them after the throttling scenarios unless `--no-autoscale`), `--workers` (only
 * the workers scenario, `workers-bench.ts`: trawl on PostgreSQL, `--repeat` rounds and pairs; the
 * full bench ends with it too).
 */
import { mkdtemp, rm } from "node:fs/promises";
import { availableParallelism, cpus, loadavg, tmpdir } from "node:os";
import { join } from "node:path";
import { parseArgs } from "node:util";
import { booksForPages, crawlPages, writeBenchScraper } from "./bench-scraper.ts";
import { browserBench } from "./browser-bench.ts";
import { throttleBench } from "./throttle-bench.ts";
import { autoscaleBench } from "./autoscale-bench.ts";
import { revisitBench } from "./revisit-bench.ts";
import { auditBench } from "./audit-bench.ts";
import { unlockBench } from "./unlock-bench.ts";
import { diagnosticsBench } from "./diagnostics-bench.ts";
import { workersBench } from "./workers-bench.ts";
import { startBenchSite } from "./demo-server.ts";
import { linkCatalogue, linkCataloguePages } from "./link-catalogue.ts";
import {
  goalLines,
  markdownTable,
  memoryTable,
  summarize,
  type MemoryRow,
  type ScenarioSummary,
} from "./report.ts";
import type { SiteShape } from "./site-server.ts";
import { runBareLoop, runsFromBundle, runTrawl, trawlBinOf, type Sample } from "./variants.ts";

/** What the command line asks for. */
interface BenchOptions {
  pages: number;
  products: number;
  repeat: number;
  shapes: SiteShape[];
  latencies: number[];
  /** Products of each scale of the memory part; empty: no memory part. */
  memory: number[];
  memoryRepeat: number;
  /** Pages of the browser rows; 0: none. */
  browserPages: number;
  /** Whether to run the throttling scenarios (`--no-throttle` skips them). */
  throttle: boolean;
  /** The `bin/trawl.js` measured. */
  trawlBin: string;
  /** The checkout it belongs to. */
  trawlCheckout: string | undefined;
  /** Only the revisit scenario (`--revisit`). */
  revisit: boolean;
  /** Only the audit log scenario (`--audit`). */
  audit: boolean;
  /** Entries of the audit log scenario (`--audit-entries`). */
  auditEntries: number;
  /** Only the unlock scenario (`--unlock`). */
  unlock: boolean;
  /** Unlocks of the unlock scenario (`--unlocks`). */
  unlocks: number;
  /** Only the diagnostics bundle scenario (`--diagnostics`). */
  diagnostics: boolean;
  /** Stored records of the diagnostics scenario (`--diagnostics-records`). */
  diagnosticsRecords: number;
  /** Only the autoscaling scenarios (`--autoscale`); `--no-autoscale` skips them in the full bench. */
  autoscale: boolean;
  noAutoscale: boolean;
  /** Seconds of each fixed concurrency of the autoscaling sweep (`--autoscale-seconds`). */
  autoscaleSeconds: number;
  /** Only the workers scenario (`--workers`): trawl on PostgreSQL. */
  workers: boolean;
}

const DEFAULT_PAGES = 20_000;
const DEFAULT_PRODUCTS = 3_000;
const QUICK_PAGES = 2_000;
const QUICK_PRODUCTS = 1_000;
const DEFAULT_REPEAT = 3;
/** Enough to see the pool's effect; the pool-off row runs at about 1 page/s. */
const DEFAULT_BROWSER_PAGES = 60;

function positiveInt(text: string, flag: string): number {
  const value = Number(text);
  if (!Number.isInteger(value) || value < 1)
    throw new Error(`${flag} needs a positive integer, got "${text}"`);
  return value;
}

function intList(text: string, flag: string, min: number): number[] {
  return text.split(",").map((part) => {
    const value = Number(part.trim());
    if (!Number.isInteger(value) || value < min)
      throw new Error(`${flag} needs a comma-separated list of whole numbers ≥ ${min}, got "${text}"`);
    return value;
  });
}

function shapeList(text: string): SiteShape[] {
  return text.split(",").map((part) => {
    const shape = part.trim();
    if (shape !== "forward" && shape !== "links")
      throw new Error(`--shapes takes forward and/or links, got "${shape}"`);
    return shape;
  });
}

function benchOptions(args: string[]): BenchOptions {
  const { values } = parseArgs({
    args,
    options: {
      pages: { type: "string" },
      products: { type: "string" },
      quick: { type: "boolean", default: false },
      repeat: { type: "string" },
      shapes: { type: "string", default: "forward,links" },
      latencies: { type: "string", default: "0,20" },
      memory: { type: "string" },
      "memory-repeat": { type: "string" },
      "browser-pages": { type: "string" },
      "no-browser": { type: "boolean", default: false },
      "no-throttle": { type: "boolean", default: false },
      trawl: { type: "string" },
      revisit: { type: "boolean", default: false },
      audit: { type: "boolean", default: false },
      "audit-entries": { type: "string" },
      unlock: { type: "boolean", default: false },
      unlocks: { type: "string" },
      diagnostics: { type: "boolean", default: false },
      "diagnostics-records": { type: "string" },
      autoscale: { type: "boolean", default: false },
      "no-autoscale": { type: "boolean", default: false },
      "autoscale-seconds": { type: "string" },
      workers: { type: "boolean", default: false },
    },
  });
  const repeat = values.repeat === undefined ? DEFAULT_REPEAT : positiveInt(values.repeat, "--repeat");
  return {
    pages:
      values.pages === undefined
        ? values.quick
          ? QUICK_PAGES
          : DEFAULT_PAGES
        : positiveInt(values.pages, "--pages"),
    products:
      values.products === undefined
        ? values.quick
          ? QUICK_PRODUCTS
          : DEFAULT_PRODUCTS
        : positiveInt(values.products, "--products"),
    repeat,
    shapes: shapeList(values.shapes),
    latencies: intList(values.latencies, "--latencies", 0),
    memory: values.memory === undefined ? [] : intList(values.memory, "--memory", 1),
    memoryRepeat:
      values["memory-repeat"] === undefined
        ? repeat
        : positiveInt(values["memory-repeat"], "--memory-repeat"),
    browserPages: values["no-browser"]
      ? 0
      : values["browser-pages"] === undefined
        ? DEFAULT_BROWSER_PAGES
        : positiveInt(values["browser-pages"], "--browser-pages"),
    throttle: !values["no-throttle"],
    trawlBin: trawlBinOf(values.trawl),
    trawlCheckout: values.trawl,
    revisit: values.revisit,
    audit: values.audit,
    auditEntries:
      values["audit-entries"] === undefined
        ? 1_000_000
        : positiveInt(values["audit-entries"], "--audit-entries"),
    unlock: values.unlock,
    unlocks: values.unlocks === undefined ? 200 : positiveInt(values.unlocks, "--unlocks"),
    diagnostics: values.diagnostics,
    diagnosticsRecords:
      values["diagnostics-records"] === undefined
        ? 1_000_000
        : positiveInt(values["diagnostics-records"], "--diagnostics-records"),
    autoscale: values.autoscale,
    noAutoscale: values["no-autoscale"],
    autoscaleSeconds:
      values["autoscale-seconds"] === undefined
        ? 15
        : positiveInt(values["autoscale-seconds"], "--autoscale-seconds"),
    workers: values.workers,
  };
}

function describeSample(label: string, sample: Sample): string {
  return (
    `  ${label} ${sample.variant}: ${sample.pages} pages in ${sample.wallSeconds.toFixed(1)} s ` +
    `(${sample.pagesPerSecond.toFixed(0)} pages/s), ${sample.cpuSeconds.toFixed(2)} CPU s ` +
    `(${((1000 * sample.cpuSeconds) / sample.pages).toFixed(2)} ms/page), ${sample.peakRssMb.toFixed(0)} MB peak RSS\n`
  );
}

/** The site's size argument for a shape: books per category (forward) or products (links). */
function siteSize(shape: SiteShape, options: BenchOptions): number {
  return shape === "links" ? options.products : booksForPages(options.pages);
}

function siteDescription(shape: SiteShape, size: number): string {
  if (shape === "forward") return `${size} books per category, ${crawlPages(size)} pages`;
  const { products, lists } = linkCataloguePages(linkCatalogue(size));
  return `${products} products + ${lists} list pages`;
}

/**
 * Both variants `repeat` times on one site, alternating which goes first so neither always runs
 * cold.
 */
async function measureScenario(
  shape: SiteShape,
  latencyMs: number,
  options: BenchOptions,
  tmp: string,
): Promise<ScenarioSummary> {
  const size = siteSize(shape, options);
  const server = await startBenchSite({ shape, size, latencyMs });
  try {
    process.stderr.write(
      `${shape} shape, ${latencyMs} ms latency, at ${server.origin}: ${siteDescription(shape, size)}\n`,
    );
    const scraperFile = await writeBenchScraper(tmp, server.origin, shape);
    const samples: Sample[] = [];
    for (let round = 1; round <= options.repeat; round++) {
      const order = round % 2 === 1 ? ["bare", "trawl"] : ["trawl", "bare"];
      for (const variant of order) {
        const sample =
          variant === "bare"
            ? await runBareLoop(server.origin, shape)
            : await runTrawl(scraperFile, tmp, options.trawlBin);
        process.stderr.write(describeSample(`${round}/${options.repeat}`, sample));
        samples.push(sample);
      }
    }
    return {
      shape,
      latencyMs,
      bare: summarize("bare loop", samples),
      trawl: summarize("trawl run", samples),
    };
  } finally {
    await server.stop();
  }
}

/** trawl alone on the link-heavy shape at each size: peak RSS as the crawl grows. */
async function measureMemory(options: BenchOptions, tmp: string): Promise<MemoryRow[]> {
  const rows: MemoryRow[] = [];
  for (const products of options.memory) {
    const server = await startBenchSite({ shape: "links", size: products, latencyMs: 0 });
    try {
      process.stderr.write(`memory: links shape, ${siteDescription("links", products)}\n`);
      const scraperFile = await writeBenchScraper(tmp, server.origin, "links");
      const samples: Sample[] = [];
      for (let run = 1; run <= options.memoryRepeat; run++) {
        const sample = await runTrawl(scraperFile, tmp, options.trawlBin);
        process.stderr.write(describeSample(`${products} ${run}/${options.memoryRepeat}`, sample));
        samples.push(sample);
      }
      rows.push({ products, trawl: summarize("trawl run", samples), peaks: samples.map((s) => s.peakRssMb) });
    } finally {
      await server.stop();
    }
  }
  return rows;
}

function machineLine(): string {
  const model = cpus()[0]?.model.trim() ?? "unknown CPU";
  const load = loadavg()
    .map((l) => l.toFixed(2))
    .join(", ");
  return `${availableParallelism()} cores (${model}), Node ${process.version}, ${process.platform}-${process.arch}, load average at the end ${load}`;
}

function report(
  scenarios: ScenarioSummary[],
  memory: MemoryRow[],
  options: BenchOptions,
  argv: string[],
): string {
  const fromSources = runsFromBundle(options.trawlCheckout)
    ? []
    : [
        "",
        "**trawl ran from its sources through tsx** (a source is newer than `dist/cli`): run `npm run build:cli` first.",
      ];
  const lines = [
    `## crawl benchmark: concurrency 16, medians of ${options.repeat} runs (peak RSS: median / max)`,
    "",
    markdownTable(scenarios),
    "",
    ...scenarios.flatMap(goalLines),
    ...fromSources,
  ];
  if (memory.length > 0) {
    lines.push("", "### memory: trawl run on the link-heavy shape, 0 ms latency", "", memoryTable(memory));
    for (const row of memory.filter((r) => r.products >= 20_000)) {
      const met = row.trawl.peakRssMaxMb < 300;
      lines.push(
        `- ${row.products} products: peak RSS < 300 MB in every run: ${met ? "met" : "NOT met"} — max ${row.trawl.peakRssMaxMb.toFixed(0)} MB`,
      );
    }
  }
  lines.push(
    "",
    `- machine: ${machineLine()}`,
    `- command: \`npm run bench${argv.length > 0 ? ` -- ${argv.join(" ")}` : ""}\``,
    "- pages/s = pages / wall time of the process (spawn → exit); own pages/s = the variant's own " +
      "rate (bare: crawl only; trawl: `stats.pagesPerSecond`); CPU = user + system of all threads, start-up included",
    "",
  );
  return lines.join("\n");
}

async function main(): Promise<void> {
  const argv = process.argv.slice(2);
  const options = benchOptions(argv);
  const tmp = await mkdtemp(join(tmpdir(), "trawl-bench-"));
  if (!options.audit && !options.unlock && !options.diagnostics && !runsFromBundle(options.trawlCheckout))
    process.stderr.write(
      "warning: trawl runs from its sources through tsx (run `npm run build:cli` first)\n",
    );
  try {
    if (options.audit) {
      process.stdout.write(await auditBench(options.auditEntries));
      return;
    }
    if (options.unlock) {
      process.stdout.write(await unlockBench(options.unlocks));
      return;
    }
    if (options.diagnostics) {
      process.stdout.write(await diagnosticsBench(options.diagnosticsRecords));
      return;
    }
    const cwd = options.trawlCheckout ?? join(import.meta.dirname, "..");
    const workers = () => workersBench({ trawlBin: options.trawlBin, cwd, tmp, repeat: options.repeat });
    if (options.workers) {
      process.stdout.write(await workers());
      return;
    }
    if (options.autoscale) {
      process.stdout.write(await autoscaleBench(options.trawlBin, cwd, tmp, options.autoscaleSeconds));
      return;
    }
    if (options.revisit) {
      for (const latencyMs of options.latencies)
        process.stdout.write(
          `${await revisitBench(options.products, latencyMs, options.trawlBin, cwd, tmp)}\n`,
        );
      return;
    }
    const scenarios: ScenarioSummary[] = [];
    for (const shape of options.shapes)
      for (const latencyMs of options.latencies)
        scenarios.push(await measureScenario(shape, latencyMs, options, tmp));
    const memory = await measureMemory(options, tmp);
    process.stdout.write(report(scenarios, memory, options, argv));
    if (options.browserPages > 0) {
      process.stderr.write(`browser rows: about ${options.browserPages} pages of one category\n`);
      process.stdout.write(`\n${await browserBench(options.browserPages)}`);
    }
    if (options.throttle) process.stdout.write(`\n${await throttleBench()}`);
    if (!options.noAutoscale)
      process.stdout.write(`\n${await autoscaleBench(options.trawlBin, cwd, tmp, options.autoscaleSeconds)}`);
    process.stdout.write(`\n${await auditBench(options.auditEntries)}`);
    process.stdout.write(`\n${await unlockBench(options.unlocks)}`);
    process.stdout.write(`\n${await diagnosticsBench(options.diagnosticsRecords)}`);
    process.stdout.write(`\n${await workers()}`);
  } finally {
    await rm(tmp, { recursive: true, force: true });
  }
}

main().catch((error: unknown) => {
  process.stderr.write(`bench failed: ${error instanceof Error ? error.message : String(error)}\n`);
  process.exitCode = 1;
});
