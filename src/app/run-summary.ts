import type { RunStatus, TargetProgress } from "../core/events.ts";
import type { RunStatsSnapshot } from "../engine/index.ts";
import type { FailureGroup, RunRecord, StepRecord, Store } from "../store/index.ts";

/** A run as commands and the API report it (`trawl run --json`, `trawl show`). */
export interface RunSummary {
  id: string;
  status: RunStatus;
  scraper: string;
  source: string | null;
  createdAt: string;
  startedAt: string | null;
  finishedAt: string | null;
  error: string | null;
  pauseReason: string | null;
  /** Records of the run's final stage (after every post-crawl step that ran). */
  records: number;
  pages: { done: number; failed: number; pending: number };
  targets: TargetProgress[];
  steps: {
    name: string;
    kind: string;
    status: StepRecord["status"];
    records: number | null;
    durationMs: number | null;
  }[];
  errors: FailureGroup[];
  stats: Partial<RunStatsSnapshot>;
  dataset: { name: string; version: number } | null;
  /** Recorded for offline replay (`trawl run --record`, `record: true`). */
  recorded: boolean;
}

/** Reads everything known about a run into one summary. */
export async function describeRun(store: Store, run: RunRecord): Promise<RunSummary> {
  const [steps, counts, errors] = await Promise.all([
    store.steps.list(run.id),
    store.queue.counts(run.id),
    store.queue.failures(run.id),
  ]);
  const lastDone = steps.filter((step) => step.status === "done").at(-1);
  const records = await store.records.count(run.id, lastDone?.index ?? 0);
  const byTarget = new Map(counts.map((c) => [c.target, c]));
  const crawlDone = steps[0]?.status === "done";
  return {
    id: run.id,
    status: run.status,
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
      const open = c.pending + c.leased > 0;
      const status = crawlDone || !open ? (c.done === 0 && c.failed > 0 ? "failed" : "done") : "running";
      return {
        name,
        status: c.done + c.failed + c.pending === 0 ? "pending" : status,
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
    stats: run.stats as Partial<RunStatsSnapshot>,
    recorded: run.options.record === true,
    dataset:
      run.datasetName && run.datasetVersion ? { name: run.datasetName, version: run.datasetVersion } : null,
  };
}

function iso(ms: number | null): string | null {
  return ms === null ? null : new Date(ms).toISOString();
}

function sum<T>(items: T[], pick: (item: T) => number): number {
  return items.reduce((total, item) => total + pick(item), 0);
}
