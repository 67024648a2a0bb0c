/**
 * The workers scenario of `npm run bench` (alone: `npm run bench -- --workers [--repeat N]`),
 * issue 17: trawl on PostgreSQL, in an embedded server the bench starts (fsync on). Reports
 * 1. lease + complete operations per second of the request queue with 1, 2, 4 and 8 workers
 *    (`queue-ops-bench.ts`; goal ≥ 5,000/s on 2 cores);
 * 2. a latency-bound crawl (50 ms per answer) by `trawl run` and three `trawl worker`s against
 *    `trawl run` alone (`fleet-crawl-bench.ts`; goal ≥ 3.5×: it measures coordination, not CPU);
 * 3. one `trawl run` on PostgreSQL against SQLite, the link-heavy crawl at 0 and 20 ms latency
 *    (goal: within 1.5×).
 * Medians of `repeat` rounds (part 1) or pairs (parts 2 and 3). Reports, never fails on a goal.
 * See bench/README.md.
 */
import { availableParallelism, loadavg } from "node:os";
import { startBenchPostgres } from "./bench-postgres.ts";
import { backendsBench, fleetBench, fleetReport, type PairsResult } from "./fleet-crawl-bench.ts";
import { queueOpsBench, queueOpsReport, SHAPES } from "./queue-ops-bench.ts";
import { runsFromBundle } from "./variants.ts";

/** Worker counts of part 1. */
const WORKER_COUNTS = [1, 2, 4, 8];
/** Site latencies of part 3. */
const BACKEND_LATENCIES = [0, 20];

/** What the scenario runs. */
export interface WorkersBenchOptions {
  trawlBin: string;
  /** The checkout the bin belongs to (its processes' working directory). */
  cwd: string;
  tmp: string;
  /** Rounds of part 1, pairs of parts 2 and 3. */
  repeat: number;
}

/** Runs the scenario; returns its markdown report. */
export async function workersBench(options: WorkersBenchOptions): Promise<string> {
  const server = await startBenchPostgres(true);
  const started = performance.now();
  try {
    process.stderr.write(`workers: PostgreSQL at ${new URL(server.url).host}, fsync on\n`);
    const ops: { shape: (typeof SHAPES)[number]; rows: Awaited<ReturnType<typeof queueOpsBench>> }[] = [];
    for (const shape of SHAPES)
      ops.push({ shape, rows: await queueOpsBench(server, WORKER_COUNTS, options.repeat, shape) });
    const ctx = { server, ...options, pairs: options.repeat };
    const fleet = await fleetBench(ctx);
    const backends: { latencyMs: number; result: PairsResult }[] = [];
    for (const latencyMs of BACKEND_LATENCIES)
      backends.push({ latencyMs, result: await backendsBench(ctx, latencyMs) });
    const minutes = (performance.now() - started) / 60_000;
    return [
      `## workers: trawl on PostgreSQL (embedded server, fsync on), medians of ${options.repeat}`,
      "",
      ...ops.flatMap(({ shape, rows }) => [...queueOpsReport(rows, shape), ""]),
      ...fleetReport(fleet, backends),
      "",
      `- machine: ${availableParallelism()} cores, load average at the end ${loadavg()
        .map((l) => l.toFixed(2))
        .join(", ")}; ${minutes.toFixed(1)} minutes`,
      ...(runsFromBundle(options.cwd)
        ? []
        : [
            "- **trawl ran from its sources through tsx** (run `npm run build:cli` first): parts 2 and 3 are slower",
          ]),
      "",
    ].join("\n");
  } finally {
    await server.stop();
  }
}
