/**
 * What a crawl does on a queue several processes share (PostgreSQL: `trawl worker` on many
 * machines, DESIGN.md §3.1): it renews its leases on a heartbeat, so that they outlive it only by
 * the lease's length; and when it finds nothing to lease while others still hold requests, it
 * waits for their links (woken by the queue's notifications, polling as a fallback) and gives
 * back the leases whose holders stopped renewing them.
 */
import { describeError, type Clock, type LogLevel } from "../core/index.ts";
import type { Store } from "../store/index.ts";
import type { RunControls } from "./run-controls.ts";

/** How often leases are renewed, and how often an idle crawl looks at the queue again. */
const BEAT_MS = 1000;

export interface SharedQueueDeps {
  runId: string;
  owner: string;
  store: Store;
  clock: Clock;
  controls: RunControls;
  log(level: LogLevel, message: string): void;
}

export class SharedQueueCrawl {
  private readonly heartbeat: NodeJS.Timeout;
  private readonly unwatch: (() => void) | undefined;
  private renewFailed = false;

  constructor(private readonly deps: SharedQueueDeps) {
    const { store, runId, controls } = deps;
    this.unwatch = store.queue.watch?.((id) => id === runId && controls.wake());
    this.heartbeat = setInterval(() => void this.renew(), BEAT_MS);
    this.heartbeat.unref();
  }

  /**
   * This process found the run's queue empty: true while other processes still hold requests of
   * it (their pages may add links), after waiting up to a beat for news; false when the crawl is
   * over for everyone.
   */
  async othersBusy(): Promise<boolean> {
    const { store, runId, clock, controls } = this.deps;
    // Leases whose holders died or froze come back first: they are this crawl's to take.
    if ((await store.queue.reclaim(runId, clock.now())) > 0) return true;
    if (!(await store.queue.unfinished(runId))) return false;
    await Promise.race([controls.changed(), sleep(BEAT_MS)]);
    return true;
  }

  close(): void {
    clearInterval(this.heartbeat);
    this.unwatch?.();
  }

  private async renew(): Promise<void> {
    const { store, runId, owner, clock, log } = this.deps;
    try {
      await store.queue.renew(runId, owner, clock.now());
      this.renewFailed = false;
    } catch (error) {
      // Once per outage: the leases expire if it lasts, and other processes take the requests.
      if (!this.renewFailed) log("warn", `could not renew this process's leases: ${describeError(error)}`);
      this.renewFailed = true;
    }
  }
}

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
