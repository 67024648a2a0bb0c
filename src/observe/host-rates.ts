/** The per-host rate limiters' rates, with bounded cardinality: the busiest hosts by name, the rest summed. */
import { Gauge, type Registry } from "prom-client";

/** One host's rate limiter as the engine reports it: its current rate in requests per second. */
export interface HostRateSample {
  host: string;
  rate: number;
}

/** Hosts named in the series; the others are summed under `host="other"`. */
export const NAMED_HOSTS = 20;

/**
 * The `N` hosts with the highest rates, each as one entry, and the rest summed as `other`; a
 * host limited in several runs at once counts with the sum of its rates.
 */
export function busiestHosts(samples: readonly HostRateSample[], named = NAMED_HOSTS): HostRateSample[] {
  const byHost = new Map<string, number>();
  for (const { host, rate } of samples) byHost.set(host, (byHost.get(host) ?? 0) + rate);
  const sorted = [...byHost].sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0]));
  const top = sorted.slice(0, named).map(([host, rate]) => ({ host, rate }));
  const rest = sorted.slice(named);
  if (rest.length > 0) top.push({ host: "other", rate: rest.reduce((sum, [, rate]) => sum + rate, 0) });
  return top;
}

/** Registers `trawl_host_rate` and `trawl_hosts`, read from `read` at each scrape. */
export function registerHostRates(registry: Registry, read: () => Promise<readonly HostRateSample[]>): void {
  new Gauge({
    name: "trawl_hosts",
    help: "Hosts with a rate limiter in the runs this process executes",
    registers: [registry],
    async collect() {
      this.set(new Set((await read()).map((sample) => sample.host)).size);
    },
  });
  new Gauge({
    name: "trawl_host_rate",
    help: `Rate limiter rate, requests per second, of the ${NAMED_HOSTS} busiest hosts; the rest summed as host="other"`,
    labelNames: ["host"],
    registers: [registry],
    async collect() {
      const samples = await read();
      // Hosts gone since the last scrape must not linger as series.
      this.reset();
      for (const { host, rate } of busiestHosts(samples)) this.set({ host }, rate);
    },
  });
}
