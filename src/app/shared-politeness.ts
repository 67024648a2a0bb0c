import type { SharedPoliteness } from "../fetch/index.ts";
import type { HostGateStore } from "../store/index.ts";

/**
 * How long a process that claimed a robots.txt fetch has to keep the file before another process
 * of the run takes the fetch over. Short: the others wait that long for a claimant that died
 * (a killed worker); one slower than this (a slow site, a blocked host) costs a second fetch.
 */
const ROBOTS_CLAIM_MS = 15_000;

/**
 * The politeness run `runId` shares with its other processes (workers on several machines), over
 * the store's host gates (PostgreSQL's): per-host send slots, `Retry-After` blocks, robots.txt.
 */
export function sharedPoliteness(gates: HostGateStore, runId: string): SharedPoliteness {
  return {
    reserve: (host, spanMs) => gates.reserve(runId, host, spanMs),
    block: (host, ms) => gates.block(runId, host, ms),
    watchBlocks: (listener) =>
      gates.watchBlocks((run, host, ms) => {
        if (run === runId) listener(host, ms);
      }),
    robots: (origin) => gates.robots(runId, origin, ROBOTS_CLAIM_MS),
    keepRobots: (origin, file) => gates.keepRobots(runId, origin, file),
    releaseRobots: (origin) => gates.releaseRobots(runId, origin),
  };
}
