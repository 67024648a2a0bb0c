/** Gauges read from the store at each scrape, and the SQLite commit latency it reports. */
import { Gauge, Histogram, type Registry } from "prom-client";
import { RUN_STATUSES } from "../core/contract/values.ts";
import type { Store } from "../store/index.ts";

/** Registers the run and queue gauges and the commit histogram; returns what stops the commit observer. */
export function registerStoreMetrics(registry: Registry, store: Store): () => void {
  const registers = [registry];
  // One census per scrape: every gauge's collect starts in the same turn and shares it.
  let cached: ReturnType<Store["runs"]["census"]> | undefined;
  const census = () => {
    if (!cached) {
      cached = store.runs.census();
      setImmediate(() => (cached = undefined));
    }
    return cached;
  };
  new Gauge({
    name: "trawl_runs",
    help: "Runs in the database by state",
    labelNames: ["state"],
    registers,
    async collect() {
      const { runs } = await census();
      // Every state is present, 0 when no run is in it, so a state's line does not vanish.
      for (const state of RUN_STATUSES) this.set({ state }, 0);
      for (const { status, count } of runs) this.set({ state: status }, count);
    },
  });
  new Gauge({
    name: "trawl_queue_requests",
    help: "Requests of live runs (queued, running, paused) by run state and request state (pending, leased, done, failed)",
    labelNames: ["run_state", "request_state"],
    registers,
    async collect() {
      this.reset();
      for (const { status, state, count } of (await census()).requests)
        this.set({ run_state: status, request_state: state }, count);
    },
  });
  new Gauge({
    name: "trawl_queue_depth",
    help: "Requests waiting to be fetched (pending or leased) over every live run",
    registers,
    async collect() {
      const { requests } = await census();
      const waiting = requests.filter((row) => row.state === "pending" || row.state === "leased");
      this.set(waiting.reduce((sum, row) => sum + row.count, 0));
    },
  });
  new Gauge({
    name: "trawl_run_records",
    help: "Records the requests of live runs yielded, by run state",
    labelNames: ["run_state"],
    registers,
    async collect() {
      this.reset();
      const sums = new Map<string, number>();
      for (const { status, records } of (await census()).requests)
        sums.set(status, (sums.get(status) ?? 0) + records);
      for (const [run_state, records] of sums) this.set({ run_state }, records);
    },
  });
  const commits = new Histogram({
    name: "trawl_sqlite_commit_seconds",
    help: "Write transactions of the main SQLite connection, BEGIN IMMEDIATE (its lock wait included) to COMMIT",
    buckets: [0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 1, 5],
    registers,
  });
  return store.observeCommits((seconds) => commits.observe(seconds));
}
