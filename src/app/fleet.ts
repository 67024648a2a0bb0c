/**
 * The fleet as users see it (`trawl workers`, GET /api/workers): the processes executing runs, as
 * each last reported itself (worker-reporter.ts). A process reports every second; one silent for
 * a few seconds is marked stale, one silent for a minute (killed, crashed) is forgotten.
 */
import type { Fleet } from "../core/contract/workers.ts";
import type { Store } from "../store/index.ts";

/** A report older than this is stale. */
export const STALE_AFTER_MS = 5_000;
/** A report older than this is removed when the fleet is listed. */
export const FORGET_AFTER_MS = 60_000;

/** The fleet at `now`: reports older than a minute pruned first, the most recent heartbeat first. */
export async function listFleet(store: Store, now: number): Promise<Fleet> {
  await store.workers.prune(now - FORGET_AFTER_MS);
  const reports = await store.workers.list();
  return {
    workers: reports.map((w) => ({
      id: w.id,
      host: w.host,
      pid: w.pid,
      kind: w.kind,
      startedAt: new Date(w.startedAt).toISOString(),
      heartbeatAt: new Date(w.heartbeatAt).toISOString(),
      stale: now - w.heartbeatAt > STALE_AFTER_MS,
      runs: w.runs,
      leases: w.leases,
      pagesPerSecond: w.pagesPerSecond,
      concurrency: w.concurrency,
    })),
    staleAfterSeconds: STALE_AFTER_MS / 1000,
  };
}
