/**
 * What each section of the diagnostics bundle holds, read from the process, the machine and the
 * store (docs/diagnostics.md). Every value is plain JSON data; the bundle redacts it before it is
 * written.
 */
import { readFile, statfs } from "node:fs/promises";
import { arch, cpus, freemem, hostname, loadavg, platform, release, totalmem, type, uptime } from "node:os";
import { TRAWL_VERSION } from "../core/index.ts";
import type { IntegrityCheckKind, Store } from "../store/index.ts";
import { redactArgv } from "./crash-report-redact.ts";

const iso = (at: number | null | undefined) =>
  at === null || at === undefined ? null : new Date(at).toISOString();

/** The cgroup (v2, else v1) memory limit of a container, in bytes; null when there is none or it is not readable. */
async function cgroupMemoryLimit(): Promise<number | null> {
  for (const file of ["/sys/fs/cgroup/memory.max", "/sys/fs/cgroup/memory/memory.limit_in_bytes"]) {
    const text = await readFile(file, "utf8").catch(() => undefined);
    const bytes = Number(text?.trim());
    // v1 writes a huge number for "no limit", v2 "max".
    if (text !== undefined && Number.isFinite(bytes) && bytes < 2 ** 60) return bytes;
  }
  return null;
}

/** The machine, the process and trawl: versions, CPU, memory, and the disk of the data directory. */
export async function systemSection(home: string) {
  const disk = await statfs(home).catch(() => undefined);
  const memory = process.memoryUsage();
  const processors = cpus();
  return {
    trawl: { version: TRAWL_VERSION, home },
    os: { type: type(), platform: platform(), release: release(), arch: arch(), hostname: hostname() },
    node: { version: process.version, versions: process.versions },
    process: {
      pid: process.pid,
      uptimeSeconds: Math.round(process.uptime()),
      // Options named like credentials (`--token X`) as crash reports show them; the rest is redacted later.
      argv: [process.argv[1] ?? "", ...redactArgv(process.argv.slice(2))],
      execArgv: process.execArgv,
      rss: memory.rss,
      heapUsed: memory.heapUsed,
      heapTotal: memory.heapTotal,
    },
    cpu: { count: processors.length, model: processors[0]?.model ?? null, loadAverage: loadavg() },
    memory: { total: totalmem(), free: freemem(), cgroupLimit: await cgroupMemoryLimit() },
    disk: disk ? { total: disk.blocks * disk.bsize, free: disk.bavail * disk.bsize } : null,
    uptimeSeconds: Math.round(uptime()),
  };
}

/** The database: its schema, migrations, figures and an integrity check, timed. */
export async function databaseSection(store: Store, check: IntegrityCheckKind) {
  const started = performance.now();
  const result = await store.diagnostics.check(check);
  return {
    schema: await store.diagnostics.schema(),
    state: {
      migrations: await store.diagnostics.migrations(),
      figures: await store.diagnostics.figures(),
      integrity: {
        check: check === "quick" ? "quick_check" : "integrity_check",
        ok: result.length === 1 && result[0] === "ok",
        result,
        ms: Math.round(performance.now() - started),
      },
    },
  };
}

/** The schema as SQL, one statement per object (indexes SQLite made itself as comments). */
export function schemaSql(schema: Awaited<ReturnType<typeof databaseSection>>["schema"]): string {
  return schema
    .map((object) =>
      object.sql === null
        ? `-- ${object.type} ${object.name} (automatic, on ${object.table})`
        : `${object.sql};`,
    )
    .join("\n\n")
    .concat("\n");
}

/** Warning and error lines of a run listed at most (its first ones: where a failure usually starts). */
const RUN_LOG_LINES = 20;

/** The newest `count` runs: state, times, counts, error, log tallies, and the failures of those that had some. */
export async function runsSection(store: Store, count: number) {
  const runs = await store.runs.list({ limit: count });
  const failures = new Map(
    (await store.activity.errors({ limit: count })).map((row) => [row.runId, row] as const),
  );
  return Promise.all(
    runs.map(async (run) => {
      const tally = await store.logs.tally(run.id);
      const failed = failures.get(run.id);
      const problems = await store.logs.list(run.id, { levels: ["warn", "error"], limit: RUN_LOG_LINES });
      return {
        id: run.id,
        scraper: run.scraper,
        status: run.status,
        createdAt: iso(run.createdAt),
        startedAt: iso(run.startedAt),
        finishedAt: iso(run.finishedAt),
        error: run.error,
        pauseReason: run.pauseReason,
        steps: run.steps,
        stats: run.stats,
        dataset: run.datasetName === null ? null : { name: run.datasetName, version: run.datasetVersion },
        logs: tally.counts,
        failedRequests: failed?.failedRequests ?? 0,
        failures: failed?.failures ?? [],
        problems: problems.map((line) => ({ at: iso(line.at), level: line.level, message: line.message })),
      };
    }),
  );
}
