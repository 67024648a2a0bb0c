/**
 * `npm run bench [-- --pages N | --quick] [--repeat R] [--browser-pages N | --no-browser]`: crawls
 * a generated demo bookshop served on loopback (in its own process) with a bare undici + cheerio
 * loop and with `trawl run` (full persistence), R times each in alternating order, and prints one
 * markdown table of medians: pages/s, CPU seconds and peak RSS. Then the browser rows: the browser
 * engine on a subset (default 60 pages), context pool on and off, beside HTTP on the same pages.
 * It reports the goals of the issues but never fails on them; the exit code is non-zero only when
 * a variant could not run. See bench/README.md.
 */
import { mkdtemp, rm } from "node:fs/promises";
import { availableParallelism, cpus, tmpdir } from "node:os";
import { join } from "node:path";
import { parseArgs } from "node:util";
import { booksForPages, crawlPages, writeBenchScraper } from "./bench-scraper.ts";
import { browserBench } from "./browser-bench.ts";
import { startDemoServer } from "./demo-server.ts";
import { goalLines, markdownTable, summarize } from "./report.ts";
import { runBareLoop, runTrawl, type Sample } from "./variants.ts";

/** What the command line asks for. */
interface BenchOptions {
  pages: number;
  repeat: number;
  /** Pages of the browser rows; 0: none. */
  browserPages: number;
}

const DEFAULT_PAGES = 20_000;
const QUICK_PAGES = 2_000;
const DEFAULT_REPEAT = 3;
/** Enough to see the pool's effect; the pool-off row runs at about 1 page/s. */
const DEFAULT_BROWSER_PAGES = 60;

function positiveInt(text: string, flag: string): number {
  const value = Number(text);
  if (!Number.isInteger(value) || value < 1)
    throw new Error(`${flag} needs a positive integer, got "${text}"`);
  return value;
}

function benchOptions(args: string[]): BenchOptions {
  const { values } = parseArgs({
    args,
    options: {
      pages: { type: "string" },
      quick: { type: "boolean", default: false },
      repeat: { type: "string" },
      "browser-pages": { type: "string" },
      "no-browser": { type: "boolean", default: false },
    },
  });
  const quickPages = values.quick ? QUICK_PAGES : DEFAULT_PAGES;
  return {
    pages: values.pages === undefined ? quickPages : positiveInt(values.pages, "--pages"),
    repeat: values.repeat === undefined ? DEFAULT_REPEAT : positiveInt(values.repeat, "--repeat"),
    browserPages: values["no-browser"]
      ? 0
      : values["browser-pages"] === undefined
        ? DEFAULT_BROWSER_PAGES
        : positiveInt(values["browser-pages"], "--browser-pages"),
  };
}

function describeSample(round: number, repeat: number, sample: Sample): string {
  return (
    `  ${sample.variant} ${round}/${repeat}: ${sample.pages} pages in ${sample.wallSeconds.toFixed(1)} s ` +
    `(${sample.pagesPerSecond.toFixed(0)} pages/s), ${sample.cpuSeconds.toFixed(2)} CPU s, ` +
    `${sample.peakRssMb.toFixed(0)} MB peak RSS\n`
  );
}

/** Runs both variants `repeat` times, alternating which goes first so neither always runs cold. */
async function measureAll(
  origin: string,
  scraperFile: string,
  tmp: string,
  repeat: number,
): Promise<Sample[]> {
  const samples: Sample[] = [];
  for (let round = 1; round <= repeat; round++) {
    const order = round % 2 === 1 ? ["bare", "trawl"] : ["trawl", "bare"];
    for (const variant of order) {
      const sample = variant === "bare" ? await runBareLoop(origin) : await runTrawl(scraperFile, tmp);
      process.stderr.write(describeSample(round, repeat, sample));
      samples.push(sample);
    }
  }
  return samples;
}

function machineLine(): string {
  const model = cpus()[0]?.model.trim() ?? "unknown CPU";
  return `${availableParallelism()} cores (${model}), Node ${process.version}, ${process.platform}-${process.arch}`;
}

function report(samples: Sample[], options: BenchOptions, argv: string[]): string {
  const bare = summarize("bare loop", samples);
  const trawl = summarize("trawl run", samples);
  return [
    `## crawl benchmark: ${trawl.pages} pages, concurrency 16, medians of ${options.repeat} runs`,
    "",
    markdownTable([bare, trawl], bare),
    "",
    ...goalLines(trawl, bare, options.pages),
    "",
    `- machine: ${machineLine()}`,
    `- command: \`npm run bench${argv.length > 0 ? ` -- ${argv.join(" ")}` : ""}\``,
    "- pages/s = pages / wall time of the process (spawn → exit); own pages/s = the variant's own " +
      "rate (bare: crawl only; trawl: `stats.pagesPerSecond`)",
    "",
  ].join("\n");
}

async function main(): Promise<void> {
  const argv = process.argv.slice(2);
  const options = benchOptions(argv);
  const books = booksForPages(options.pages);
  const tmp = await mkdtemp(join(tmpdir(), "trawl-bench-"));
  const server = await startDemoServer(books);
  try {
    process.stderr.write(
      `demo site at ${server.origin}: ${books} books per category, ${crawlPages(books)} pages to crawl\n`,
    );
    const scraperFile = await writeBenchScraper(tmp, server.origin);
    const samples = await measureAll(server.origin, scraperFile, tmp, options.repeat);
    process.stdout.write(report(samples, options, argv));
    if (options.browserPages > 0) {
      process.stderr.write(`browser rows: about ${options.browserPages} pages of one category\n`);
      process.stdout.write(`\n${await browserBench(options.browserPages)}`);
    }
  } finally {
    await server.stop();
    await rm(tmp, { recursive: true, force: true });
  }
}

main().catch((error: unknown) => {
  process.stderr.write(`bench failed: ${error instanceof Error ? error.message : String(error)}\n`);
  process.exitCode = 1;
});
