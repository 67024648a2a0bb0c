/**
 * `node --import tsx bench/log-append.ts [--lines N] [--per-turn K]`: how much a run's log costs
 * when it logs a lot (a site answering 429s and 503s to every page logs a retry, a rate cut and a
 * failure per page). Appends N lines to a real SQLite store, K per event-loop turn as a crawl's
 * completions do, as the engine does (fire and forget), and prints lines/s and CPU ms per 1,000
 * lines once every line is stored. See bench/README.md ("Run logs").
 */
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { parseArgs } from "node:util";
import { openSqliteStore } from "../src/store/index.ts";

const { values } = parseArgs({
  options: { lines: { type: "string", default: "20000" }, "per-turn": { type: "string", default: "4" } },
});
const lines = Number(values.lines);
const perTurn = Number(values["per-turn"]);
const dir = mkdtempSync(join(tmpdir(), "trawl-log-bench-"));
const store = openSqliteStore(join(dir, "bench.db"));
try {
  const run = { scraper: "bench", source: null, definitionHash: "h", targets: ["t"], breakpoints: [] };
  const { id } = await store.runs.create({ ...run, steps: [{ name: "crawl", kind: "crawl" }] }, Date.now());
  const cpu = process.cpuUsage();
  const started = performance.now();
  const writes: Promise<void>[] = [];
  for (let i = 0; i < lines; i += perTurn) {
    for (let j = i; j < Math.min(lines, i + perTurn); j++) {
      const message = `http://shop.test/book/${j}: attempt 1 of 4 failed (HTTP 503); retrying in 312 ms (backoff: random up to 500 ms)`;
      writes.push(store.logs.append(id, j % 3 === 0 ? "warn" : "info", message, Date.now()));
    }
    await new Promise((resolve) => setImmediate(resolve));
  }
  await Promise.all(writes);
  const seconds = (performance.now() - started) / 1000;
  const used = process.cpuUsage(cpu);
  const cpuMs = (used.user + used.system) / 1000;
  process.stdout.write(
    `${lines} lines, ${perTurn} per turn: ${(lines / seconds).toFixed(0)} lines/s, ` +
      `${((cpuMs / lines) * 1000).toFixed(1)} CPU ms per 1,000 lines\n`,
  );
} finally {
  await store.close();
  rmSync(dir, { recursive: true, force: true });
}
