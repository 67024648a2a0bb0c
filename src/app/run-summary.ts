import type { PageTypeHealth, RunStats, RunSummary, TargetStatus } from "../core/contract/runs.ts";
import type { RunStatus } from "../core/index.ts";
import { controlsFor, withShares, type RunStatsSnapshot } from "../engine/index.ts";
import type { RunRecord, Store, TargetCounts } from "../store/index.ts";

/** A run as commands and the API report it (`trawl run --json`, `trawl show`). */
export type { RunSummary } from "../core/contract/runs.ts";

/**
 * Reads everything known about a run into one summary. `liveStats`: the statistics of the session
 * executing the run in this process, fresher than the stored ones (saved every heartbeat).
 */
export async function describeRun(store: Store, run: RunRecord, liveStats?: RunStats): Promise<RunSummary> {
  const [steps, counts, errors, shares] = await Promise.all([
    store.steps.list(run.id),
    store.queue.counts(run.id),
    store.queue.failures(run.id),
    store.runs.shareStats?.(run.id) ?? [],
  ]);
  const lastDone = steps.filter((step) => step.status === "done").at(-1);
  const records = await store.records.count(run.id, lastDone?.index ?? 0);
  const byTarget = new Map(counts.map((c) => [c.target, c]));
  // Selector health is stored beside the fetch statistics; the summary reports it on its own.
  const { selectors, ...own } = (liveStats ?? run.stats) as RunStats & { selectors?: PageTypeHealth[] };
  // Workers on other machines keep the statistics of their shares apart: the run's count them all.
  const merged =
    shares.length > 0 && own.statusCodes
      ? withShares(
          own as RunStatsSnapshot,
          shares.map((share) => share.stats as Partial<RunStatsSnapshot>),
        )
      : own;
  // The latency buckets are what the percentiles are read from, not a figure to show.
  const { latencyCounts: _buckets, ...stats } = merged as RunStats & Partial<RunStatsSnapshot>;
  const crawlDone = steps[0]?.status === "done";
  return {
    id: run.id,
    status: run.status,
    controls: controlsFor(run),
    scraper: run.scraper,
    source: run.source,
    createdAt: iso(run.createdAt)!,
    startedAt: iso(run.startedAt),
    finishedAt: iso(run.finishedAt),
    error: run.error,
    pauseReason: run.pauseReason,
    records,
    pages: {
      done: sum(counts, (c) => c.done),
      failed: sum(counts, (c) => c.failed),
      pending: sum(counts, (c) => c.pending + c.leased),
    },
    targets: run.targets.map((name) => {
      const c = byTarget.get(name) ?? { pending: 0, leased: 0, done: 0, failed: 0, records: 0 };
      return {
        name,
        status: targetStatus(run.status, c, crawlDone),
        pagesDone: c.done + c.failed,
        pagesKnown: c.done + c.failed + c.pending + c.leased,
        records: c.records,
        errors: c.failed,
      };
    }),
    steps: steps.map((step) => ({
      name: step.name,
      kind: step.kind,
      status: step.status,
      records: step.recordsOut,
      durationMs: step.startedAt && step.finishedAt ? step.finishedAt - step.startedAt : null,
    })),
    errors,
    stats,
    selectors: selectors ?? [],
    recorded: run.options.record === true,
    dataset:
      run.datasetName && run.datasetVersion ? { name: run.datasetName, version: run.datasetVersion } : null,
  };
}

/**
 * A target's state, read with its run's: a target with requests left runs only while its run
 * does; when the run paused, stopped or was interrupted it is paused, when the run ended it
 * ended the same way. A target with nothing left is done, or failed when no page of it worked.
 */
function targetStatus(run: RunStatus, c: Omit<TargetCounts, "target">, crawlDone: boolean): TargetStatus {
  const open = c.pending + c.leased > 0 || (c.done + c.failed === 0 && !crawlDone);
  if (!open) return c.done === 0 && c.failed > 0 ? "failed" : "done";
  switch (run) {
    case "queued":
      return "pending";
    case "running":
      return c.done + c.failed + c.pending + c.leased === 0 ? "pending" : "running";
    case "paused":
    case "interrupted":
      return "paused";
    case "succeeded":
      return "done";
    case "failed":
      return "failed";
    case "cancelled":
      return "cancelled";
  }
}

function iso(ms: number | null): string | null {
  return ms === null ? null : new Date(ms).toISOString();
}

function sum<T>(items: T[], pick: (item: T) => number): number {
  return items.reduce((total, item) => total + pick(item), 0);
}
