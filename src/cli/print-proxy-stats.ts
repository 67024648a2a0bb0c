import type { RunStats } from "../core/contract/runs.ts";
import { printTable } from "./output.ts";

/**
 * Prints each proxy of a run (`trawl show`), as `scheme://host:port`: the attempts sent through
 * it, its failures by reason, and why it was retired. Nothing for a run without proxies.
 */
export function printProxyStats(proxies: RunStats["proxies"]): void {
  const entries = Object.entries(proxies ?? {});
  if (entries.length === 0) return;
  process.stdout.write("\nproxies:\n");
  printTable(
    ["proxy", "requests", "failures", "retired"],
    entries.map(([proxy, p]) => [
      proxy,
      p.requests,
      Object.entries(p.failures)
        .map(([reason, count]) => `${reason} ${count}`)
        .join(", ") || "-",
      p.retired === undefined ? "-" : `retired: ${p.retired}`,
    ]),
  );
}
