/** The resource governor's state (docs/limits.md): the memory ceiling, the pressure, the runs waiting for memory. */
import { Gauge, type Registry } from "prom-client";

/** What the engine's resource governor reports, read at each scrape. */
export interface GovernorReading {
  level: "ok" | "high" | "critical";
  ceiling: number;
  waiting: readonly string[];
}

/** `trawl_memory_pressure`'s values. */
const LEVELS: Readonly<Record<GovernorReading["level"], number>> = { ok: 0, high: 1, critical: 2 };

/** Registers `trawl_memory_ceiling_bytes`, `trawl_memory_pressure` and `trawl_runs_waiting_for_memory`. */
export function registerGovernorMetrics(registry: Registry, read: () => GovernorReading): void {
  new Gauge({
    name: "trawl_memory_ceiling_bytes",
    help: "The resource governor's ceiling for this process's resident memory",
    registers: [registry],
    collect() {
      this.set(read().ceiling);
    },
  });
  new Gauge({
    name: "trawl_memory_pressure",
    help: "0: under 90 % of the memory ceiling; 1: above (new runs wait, running ones at half concurrency); 2: at it (one request in flight per run)",
    registers: [registry],
    collect() {
      this.set(LEVELS[read().level]);
    },
  });
  new Gauge({
    name: "trawl_runs_waiting_for_memory",
    help: "Runs the resource governor holds queued until memory allows",
    registers: [registry],
    collect() {
      this.set(read().waiting.length);
    },
  });
}
