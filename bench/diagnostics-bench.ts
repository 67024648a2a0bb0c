/**
 * The diagnostics scenario of `npm run bench` (alone: `npm run bench -- --diagnostics
 * [--diagnostics-records N]`), issue 16 §4: builds a data directory whose database holds 1,000,000
 * records of about 400 bytes (over 100 runs, with their requests and log lines, in one enclosing transaction so the
 * build takes seconds) and 20,000 process log lines, then times `trawl diagnostics`'s work
 * (`exportDiagnostics`, to a file) three times. Prints the median and the goal (under 3 s).
 * Reports, never fails on the goal. See bench/README.md.
 */
import { createWriteStream, mkdirSync, writeFileSync } from "node:fs";
import { mkdtemp, rm } from "node:fs/promises";
import { join } from "node:path";
import { finished } from "node:stream/promises";
import { App, exportDiagnostics } from "../src/app/index.ts";
import { homePaths } from "../src/core/index.ts";
import { openDatabase, writeTransaction } from "../src/store/database.ts";

/** The issue's goal: a bundle over a million stored records in under 3 s. */
const GOAL_SECONDS = 3;
const RUNS = 100;
const RECORDS_PER_PAGE = 10;
const PROCESS_LOG_LINES = 20_000;

/** Fills the database: `records` records over {@link RUNS} runs, one request per 10 records, 50 log lines a run. */
function build(path: string, records: number): void {
  const db = openDatabase(path);
  const start = Date.now() - 86_400_000;
  const run = db.prepare(
    `INSERT INTO runs (id, scraper, definition_hash, status, created_at, started_at, finished_at, updated_at, error, stats)
     VALUES (?, ?, 'x', ?, ?, ?, ?, ?, ?, ?)`,
  );
  const request = db.prepare(
    `INSERT INTO requests (run_id, url, page_type, target, depth, state, http_status, reason, records, updated_at)
     VALUES (?, ?, 'product', 'shop', 1, ?, ?, ?, ?, ?)`,
  );
  const record = db.prepare(
    `INSERT INTO records (run_id, stage, ord, target, data) VALUES (?, 0, ?, 'shop', ?)`,
  );
  const log = db.prepare(`INSERT INTO logs (run_id, at, level, message) VALUES (?, ?, ?, ?)`);
  const perRun = Math.ceil(records / RUNS);
  let stored = 0;
  writeTransaction(db, () => {
    for (let r = 0; r < RUNS && stored < records; r++) {
      const id = `RUN-20261206-${r.toString(16).toUpperCase().padStart(6, "0")}`;
      const at = start + r * 60_000;
      const failed = r % 10 === 0;
      const stats = JSON.stringify({
        pages: perRun / RECORDS_PER_PAGE,
        records: perRun,
        pagesPerSecond: 120,
      });
      run.run(
        id,
        `shop-${r % 7}`,
        failed ? "failed" : "succeeded",
        at,
        at,
        at + 50_000,
        at + 50_000,
        failed ? "3 requests failed" : null,
        stats,
      );
      for (let i = 0; i < perRun && stored < records; i++, stored++) {
        if (i % RECORDS_PER_PAGE === 0) {
          const bad = failed && i < 3 * RECORDS_PER_PAGE;
          request.run(
            id,
            `https://shop.example/p/${r}/${i}`,
            bad ? "failed" : "done",
            bad ? 503 : 200,
            bad ? "http_503" : null,
            RECORDS_PER_PAGE,
            at,
          );
        }
        // About 400 bytes: a product page's fields.
        const data = {
          title: `Product ${r}-${i}: a sturdy oak bookshelf with five shelves`,
          price: (i % 1000) / 10,
          currency: "EUR",
          sku: `SKU-${r}-${i}`,
          category: `furniture/shelves/${i % 17}`,
          stock: i % 40,
          rating: (i % 50) / 10,
          description: `Solid oak, 180 x 80 x 30 cm, assembled in ten minutes; item ${i} of run ${r}. Ships in 3 days.`,
          url: `https://shop.example/p/${r}/${i}`,
        };
        record.run(id, String(i).padStart(12, "0"), JSON.stringify(data));
      }
      for (let l = 0; l < 50; l++)
        log.run(
          id,
          at + l,
          l % 10 === 0 ? "warn" : "info",
          `fetched https://shop.example/p/${r}/${l}?session=abc${l}`,
        );
    }
  });
  db.close();
}

/** 20,000 process log lines, JSON like pino's, of which the bundle keeps the last 10,000. */
function writeProcessLog(home: string): void {
  const logs = homePaths(home).logs;
  mkdirSync(logs, { recursive: true });
  const now = Date.now();
  const lines = Array.from({ length: PROCESS_LOG_LINES }, (_, i) =>
    JSON.stringify({
      level: 30,
      time: now - PROCESS_LOG_LINES + i,
      component: "engine",
      runId: "RUN-20261206-000001",
      msg: `fetched https://shop.example/p/${i} (200, 12 kB)`,
    }),
  );
  writeFileSync(join(logs, "serve.2026-12-06.1.log"), `${lines.join("\n")}\n`);
}

/** Runs the scenario over `records` records; returns its markdown report. */
export async function diagnosticsBench(records = 1_000_000): Promise<string> {
  const dir = await mkdtemp(join(process.env.TMPDIR ?? "/tmp", "trawl-diagnostics-bench-"));
  try {
    const paths = homePaths(join(dir, "home"));
    process.stderr.write(`diagnostics: building a database of ${records} records…\n`);
    const buildStart = performance.now();
    build(paths.database, records);
    writeProcessLog(paths.home);
    const buildSeconds = (performance.now() - buildStart) / 1000;
    const app = await App.open({ home: paths.home });
    const seconds: number[] = [];
    let bytes = 0;
    let quickSeconds = 0;
    try {
      for (let round = 1; round <= 3; round++) {
        const start = performance.now();
        const out = createWriteStream(join(dir, `bundle-${round}.zip`));
        const summary = await exportDiagnostics(app, out, { destination: "bench" });
        out.end();
        await finished(out);
        seconds.push((performance.now() - start) / 1000);
        bytes = summary.bytes;
        const slow = summary.sections.map(
          (s) => `${s.name} ${s.ms} ms${s.status === "ok" ? "" : ` (${s.status})`}`,
        );
        process.stderr.write(`  bundle ${round}/3: ${seconds.at(-1)!.toFixed(2)} s: ${slow.join(", ")}\n`);
      }
      // Once with `--quick-check` (quick_check), to show what the default integrity_check costs.
      const start = performance.now();
      const out = createWriteStream(join(dir, "bundle-full.zip"));
      await exportDiagnostics(app, out, { destination: "bench", integrityCheck: "quick" });
      out.end();
      await finished(out);
      quickSeconds = (performance.now() - start) / 1000;
    } finally {
      await app.close();
    }
    const median = [...seconds].sort((a, b) => a - b)[1]!;
    return [
      `## diagnostics bundle over ${records.toLocaleString("en")} records (issue 16 §4)`,
      "",
      "| records | build s | bundle s (median of 3) | zip KB | goal |",
      "|--:|--:|--:|--:|---|",
      `| ${records} | ${buildSeconds.toFixed(1)} | ${median.toFixed(2)} | ${(bytes / 1024).toFixed(0)} | under ${GOAL_SECONDS} s for 1,000,000 records: ${median < GOAL_SECONDS ? "met" : "**not met**"} |`,
      "",
      `- bundle runs: ${seconds.map((s) => s.toFixed(2)).join(", ")} s (integrity_check; ${PROCESS_LOG_LINES} process log lines, the last 10,000 kept); with \`--quick-check\` (quick_check) once: ${quickSeconds.toFixed(2)} s`,
      "",
    ].join("\n");
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}
