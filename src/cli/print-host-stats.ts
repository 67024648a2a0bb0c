import type { RunStats } from "../core/contract/runs.ts";
import { formatDuration, printTable } from "./output.ts";

/**
 * Prints each host's requests and its rate limiter's state (`trawl show`): the rate it is paced
 * at out of its maximum, the 429/503 responses it sent, the time its `Retry-After` waits blocked
 * it. Nothing for a run that fetched nothing.
 */
export function printHostStats(hosts: RunStats["hosts"]): void {
  const entries = Object.entries(hosts ?? {}).sort(([a], [b]) => a.localeCompare(b));
  if (entries.length === 0) return;
  process.stdout.write("\nhosts:\n");
  printTable(
    ["host", "requests", "rate/s", "429/503", "blocked"],
    entries.map(([host, h]) => [
      host,
      h.requests,
      h.rate === undefined ? "-" : h.maxRate === undefined ? `${h.rate}` : `${h.rate} of ${h.maxRate}`,
      h.throttled ?? "-",
      h.blockedMs === undefined ? "-" : formatDuration(h.blockedMs),
    ]),
  );
}
