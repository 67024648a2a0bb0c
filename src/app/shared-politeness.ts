import type { SharedPoliteness } from "../fetch/index.ts";
import type { HostGateStore } from "../store/index.ts";

/**
 * How long a process that claimed a robots.txt fetch has to keep the file before another process
 * of the run takes the fetch over: a request's timeout (30 s by default) and its wait for a slot.
 */
const ROBOTS_CLAIM_MS = 60_000;

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
