/**
 * `npm run soak -- --minutes N`: the long soak of issue 16, §8. Starts the bundled demo site and a
 * real `trawl serve` (with its scheduler) on a temporary data directory, schedules the bookshop
 * example every minute (`* * * * *`), and samples the server process every `--sample-seconds`:
 * resident memory and V8 heap (after a full collection, see soak-gc-hook.mjs), active handles
 * and resources, open files (/proc/<pid>/fd). Prints a line per sample, then the memory slope
 * after warm-up (least squares, MB per 10 minutes) against the goal: under 1 MB per 10 minutes
 * over 60 minutes. Reports, never fails on the goal (exit 1 only when the soak itself broke: the
 * server died, a run could not be scheduled). docs/soak.md.
 *
 *   npm run soak -- --minutes 60 [--sample-seconds 10] [--warm-up-minutes 10] [--books 20]
 *                   [--seed-books N] [--no-gc]
 */
import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { parseArgs } from "node:util";
import { readExample, startDemoSite } from "../src/demo/index.ts";
import { formatTable, GOAL_MB_PER_10_MIN, memorySlopes, type SoakRow } from "./soak-report.ts";
import { startSoakServer, type SoakServer } from "./soak-server.ts";
import { runsFromBundle } from "./variants.ts";

const ENDED = new Set(["succeeded", "failed", "cancelled", "interrupted"]);

function options() {
  const { values } = parseArgs({
    options: {
      minutes: { type: "string", default: "60" },
      "sample-seconds": { type: "string", default: "10" },
      "warm-up-minutes": { type: "string" },
      books: { type: "string", default: "20" },
      "seed-books": { type: "string", default: "0" },
      "no-gc": { type: "boolean", default: false },
    },
  });
  const minutes = Number(values.minutes);
  const sampleSeconds = Number(values["sample-seconds"]);
  if (!(minutes > 0) || !(sampleSeconds > 0))
    throw new Error("--minutes and --sample-seconds must be positive numbers");
  // The first third, at most 10 minutes: caches, JIT and SQLite's page cache settle by then.
  const warmUpMinutes =
    values["warm-up-minutes"] === undefined ? Math.min(10, minutes / 3) : Number(values["warm-up-minutes"]);
  const seedBooks = Number(values["seed-books"]);
  if (!(seedBooks >= 0)) throw new Error("--seed-books must be a number of books, 0 or more");
  return {
    minutes,
    sampleSeconds,
    warmUpMinutes,
    books: Number(values.books),
    seedBooks,
    collect: !values["no-gc"],
  };
}

/** Runs of the scraper that have ended, and how many of them failed. */
async function endedRuns(server: SoakServer): Promise<{ ended: number; failed: number }> {
  const { body } = await server.api<{ runs: { status: string }[] }>("/api/runs?scraper=bookshop&limit=500");
  const ended = body.runs.filter((run) => ENDED.has(run.status));
  return { ended: ended.length, failed: ended.filter((run) => run.status !== "succeeded").length };
}

/**
 * `--seed-books N`: before the soak, one run of the bookshop over a demo site of N books a
 * category, so that the database starts as large as a server's after weeks. SQLite keeps up to
 * 16 MB of a database's pages in each connection's cache: while a small database grows, the
 * caches grow with it, and a soak from an empty one measures that filling as a slope.
 */
async function seed(server: SoakServer, dir: string, books: number): Promise<void> {
  const site = await startDemoSite({ port: 0, booksPerCategory: books });
  try {
    const file = join(dir, "seed.yaml");
    await writeFile(
      file,
      (await readExample("bookshop", site)).replace(/^name: bookshop$/m, "name: soak-seed") +
        // The example's polite default (10 requests a second) would take 18 minutes for 5,000.
        "politeness:\n  rate_per_host: 500\n",
    );
    const started = await server.api<{ id: string }>("/api/runs", { file });
    if (started.status !== 201 && started.status !== 202)
      throw new Error(`the seed run was refused: ${JSON.stringify(started.body)}`);
    for (;;) {
      await new Promise((resolve) => setTimeout(resolve, 2000));
      const { body } = await server.api<{ status: string; pages: { done: number } }>(
        `/api/runs/${started.body.id}`,
      );
      if (ENDED.has(body.status)) {
        console.log(`seeded: run ${started.body.id} ${body.status}, ${body.pages.done} pages`);
        return;
      }
    }
  } finally {
    await site.close();
  }
}

async function main(): Promise<void> {
  const o = options();
  const dir = await mkdtemp(join(tmpdir(), "trawl-soak-"));
  const site = await startDemoSite({ port: 0, booksPerCategory: o.books });
  let server: SoakServer | undefined;
  const stopping = new AbortController();
  process.once("SIGINT", () => stopping.abort());
  // Its reader gone (`npm run soak | head`), the soak ends as on Ctrl-C: its server is not left behind.
  process.stdout.on("error", () => stopping.abort());
  try {
    const file = join(dir, "bookshop.yaml");
    await writeFile(file, await readExample("bookshop", site));
    server = await startSoakServer({ home: join(dir, "home"), scrapers: dir, collect: o.collect });
    if (o.seedBooks > 0) await seed(server, dir, o.seedBooks);
    const schedule = await server.api("/api/schedules", { file, cron: "* * * * *", overlap: "skip" });
    if (schedule.status !== 201) throw new Error(`scheduling failed: ${JSON.stringify(schedule.body)}`);
    // What users run is the bundle: the sources through tsx hold more (an esbuild service, source maps).
    const build = runsFromBundle()
      ? "from its bundle"
      : "FROM ITS SOURCES through tsx, not what users run (run `npm run build:cli` first)";
    console.log(
      `soak: trawl serve pid ${server.pid} ${build}, the bookshop example (${o.books} books a category) every minute, ` +
        `${o.minutes} min, a sample every ${o.sampleSeconds} s, warm-up ${o.warmUpMinutes.toFixed(1)} min` +
        `${o.collect ? ", heap read after a full collection" : ""}\n`,
    );
    const rows: SoakRow[] = [];
    const startedAt = Date.now();
    const endAt = startedAt + o.minutes * 60_000;
    let failed = 0;
    for (let next = startedAt; next <= endAt && !stopping.signal.aborted; next += o.sampleSeconds * 1000) {
      await sleep(next - Date.now(), stopping.signal);
      if (stopping.signal.aborted) break;
      const runs = await endedRuns(server);
      failed = runs.failed;
      rows.push({ ...(await server.figures(startedAt)), runs: runs.ended });
      // The table so far, one new line per sample (the header with the first).
      const lines = formatTable(rows).split("\n");
      console.log(rows.length === 1 ? lines.join("\n") : lines.at(-1));
    }
    report(rows, o.warmUpMinutes * 60_000, failed);
  } finally {
    await server?.stop();
    await site.close();
    await rm(dir, { recursive: true, force: true });
  }
}

/** The slopes after warm-up against the goal, and the growth of handles and open files. */
function report(rows: SoakRow[], warmUpMs: number, failed: number): void {
  const slopes = memorySlopes(rows, warmUpMs);
  const after = rows.filter((r) => r.at >= warmUpMs);
  const [first, last] = [after[0], after.at(-1)];
  const verdict = (slope: number, ok: boolean) =>
    `${slope >= 0 ? "+" : ""}${slope.toFixed(2)} MB per 10 min (${ok ? "meets" : "misses"} the goal, under ${GOAL_MB_PER_10_MIN})`;
  console.log(`\nafter warm-up (${slopes.samples} samples):`);
  console.log(`  RSS   ${verdict(slopes.rss, slopes.rssOk)}`);
  console.log(`  heap  ${verdict(slopes.heap, slopes.heapOk)}`);
  const signed = (value: number) => `${value >= 0 ? "+" : ""}${value.toFixed(2)}`;
  console.log(
    `  of RSS: V8's committed heap ${signed(slopes.v8)} (its compiled code ${signed(slopes.code)}),` +
      ` native memory ${signed(slopes.native)} MB per 10 min`,
  );
  if (first && last) {
    console.log(
      `  handles ${first.handles} → ${last.handles}; open files ${first.fds ?? "-"} → ${last.fds ?? "-"}`,
    );
  }
  console.log(`  runs ended ${rows.at(-1)?.runs ?? 0}, of which failed or stopped ${failed}`);
  if (rows.length > 0 && rows.at(-1)!.at < 60 * 60_000) {
    console.log(
      `  (the goal is judged over 60 minutes; this soak ran ${(rows.at(-1)!.at / 60_000).toFixed(1)})`,
    );
  }
}

function sleep(ms: number, signal: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    const done = () => {
      clearTimeout(timer);
      signal.removeEventListener("abort", done);
      resolve();
    };
    const timer = setTimeout(done, Math.max(0, ms));
    signal.addEventListener("abort", done, { once: true });
  });
}

main().catch((error: unknown) => {
  console.error(error instanceof Error ? error.message : error);
  process.exitCode = 1;
});
