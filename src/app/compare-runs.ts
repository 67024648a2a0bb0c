/**
 * Run comparisons: two runs side by side with a record diff (`trawl compare`, the Compare page),
 * and what changed since the previous run (a run's page). Like is compared with like: changes
 * since the previous run compare the final output of two succeeded runs of one scraper, matched
 * by the record key fixed when the runs were created; anything that makes a diff misleading is
 * said in `warnings`, or, for changes, instead of a diff.
 */
import type { RunChanges, RunComparison } from "../core/contract/compare.ts";
import { FINAL_RUN_STATUSES } from "../core/contract/values.ts";
import { RunNotFoundError } from "../core/index.ts";
import type { RunRecord, Store } from "../store/index.ts";
import { diffRecords } from "../datasets/index.ts";
import { describeRun, type RunSummary } from "./run-summary.ts";

type Json = Record<string, unknown>;

export type { RunChanges, RunComparison };

/**
 * Compares the final records of run `a` (older) with run `b` (newer). Records are matched by
 * `key` when given, else by b's record key (a's when b has none), else by position. The
 * comparison is always made; `warnings` say what makes it less than like for like.
 *
 * @throws RunNotFoundError (TRAWL_ERR_ENGINE_RUN_NOT_FOUND) when a run does not exist.
 */
export async function compareRuns(
  store: Store,
  aId: string,
  bId: string,
  key?: string[],
): Promise<RunComparison> {
  const [a, b] = await Promise.all([requireRun(store, aId), requireRun(store, bId)]);
  const [summaryA, summaryB, recordsA, recordsB] = await Promise.all([
    describeRun(store, a),
    describeRun(store, b),
    finalRecords(store, a),
    finalRecords(store, b),
  ]);
  const chosen = key && key.length > 0 ? key : (b.recordKey ?? a.recordKey);
  const diff = diffRecords(recordsA, recordsB, chosen);
  const warnings = [
    ...runWarnings(summaryA, summaryB),
    ...(key && key.length > 0 ? [] : keyWarnings(a, b)),
    ...diff.warnings,
  ];
  return { a: summaryA, b: summaryB, match: diff.match, key: diff.key, records: diff.records, warnings };
}

/**
 * What changed in run `runId`'s records since the previous succeeded run of the same scraper.
 * Only a succeeded run whose every step finished is compared; for any other, and for a first run,
 * `comparable` is false and `reason` says why.
 *
 * @throws RunNotFoundError (TRAWL_ERR_ENGINE_RUN_NOT_FOUND) when the run does not exist.
 */
export async function runChanges(store: Store, runId: string): Promise<RunChanges> {
  const run = await requireRun(store, runId);
  const previous = await previousRun(store, runId);
  const base = { run: run.id, previous: previous?.id ?? null };
  const reason = notComparedReason(await describeRun(store, run));
  if (reason !== null) return { ...base, comparable: false, reason, comparison: null };
  if (!previous) {
    const reason = `no earlier succeeded run of ${run.scraper}: nothing to compare with`;
    return { ...base, comparable: false, reason, comparison: null };
  }
  return {
    ...base,
    comparable: true,
    reason: null,
    comparison: await compareRuns(store, previous.id, run.id),
  };
}

/** The succeeded run of the same scraper created last before `runId`, or null. */
export async function previousRun(store: Store, runId: string): Promise<RunRecord | null> {
  const run = await requireRun(store, runId);
  const earlier = await store.runs.list({
    scraper: run.scraper,
    statuses: ["succeeded"],
    createdUntil: run.createdAt + 1,
    limit: 50,
  });
  // By creation time, not by id: ids order runs only to the tenth of a second.
  return earlier
    .filter((r) => r.id !== run.id && r.createdAt <= run.createdAt)
    .reduce<RunRecord | null>((latest, r) => (!latest || r.createdAt > latest.createdAt ? r : latest), null);
}

/**
 * How a run's state keeps its records from being its final output ("failed", "is stopped"…);
 * null when they are final (it succeeded and every step finished).
 */
export function notFinalState(run: RunSummary): string | null {
  switch (run.status) {
    case "succeeded": {
      const done = run.steps.filter((step) => step.status === "done").length;
      return done === run.steps.length ? null : `is partial (${done} of ${run.steps.length} steps finished)`;
    }
    case "failed":
      return "failed";
    case "cancelled":
      return "was cancelled";
    case "interrupted":
      return "was interrupted";
    case "paused":
      return run.pauseReason === "stopped" ? "is stopped" : "is paused";
    case "queued":
      return "has not started";
    case "running":
      return "is still running";
  }
}

/** Why a run's changes are not compared, or null when they are. */
function notComparedReason(run: RunSummary): string | null {
  const state = notFinalState(run);
  if (state === null) return null;
  const resumable = !(FINAL_RUN_STATUSES as readonly string[]).includes(run.status);
  return `this run ${state}: its records are not compared${resumable ? " until it succeeds" : ""}`;
}

/** Warnings about the runs themselves: different scrapers, records that are not final output, failed requests. */
function runWarnings(a: RunSummary, b: RunSummary): string[] {
  const warnings: string[] = [];
  if (a.scraper !== b.scraper)
    warnings.push(
      `A is a run of ${a.scraper}, B of ${b.scraper}: runs of different scrapers rarely describe the same records`,
    );
  for (const [side, run, missing] of [
    ["A", a, "added"],
    ["B", b, "removed"],
  ] as const) {
    const state = notFinalState(run);
    const last = run.steps.filter((step) => step.status === "done").at(-1)?.name ?? "crawl";
    if (state !== null)
      warnings.push(
        `run ${side} (${run.id}) ${state}: its records are those of its ${last} step, not its final output`,
      );
    if (run.pages.failed > 0)
      warnings.push(
        `run ${side} had ${run.pages.failed} failed request${run.pages.failed === 1 ? "" : "s"}: ` +
          `records of those pages are missing from ${side} and may show as ${missing}`,
      );
  }
  return warnings;
}

/** A warning when the runs were created with different record keys. */
function keyWarnings(a: RunRecord, b: RunRecord): string[] {
  const text = (key: string[] | null) => key?.join(", ") ?? "none";
  if (text(a.recordKey) === text(b.recordKey)) return [];
  const used = b.recordKey ?? a.recordKey;
  return [
    `the runs have different record keys (A: ${text(a.recordKey)}; B: ${text(b.recordKey)}): ` +
      `records are matched by ${text(used)}`,
  ];
}

/** The run, or a `RunNotFoundError` (`TRAWL_ERR_ENGINE_RUN_NOT_FOUND`; 404 through the API). */
export async function requireRun(store: Store, id: string): Promise<RunRecord> {
  const run = await store.runs.get(id);
  if (!run) throw new RunNotFoundError(id);
  return run;
}

/** The stage of a run's last finished step (0, the crawl's, when no step finished). */
export async function finalStage(store: Store, runId: string): Promise<number> {
  const steps = await store.steps.list(runId);
  return steps.filter((step) => step.status === "done").at(-1)?.index ?? 0;
}

/** The records of a run's last finished step (the crawl's when no later step finished). */
export async function finalRecords(store: Store, run: RunRecord): Promise<Json[]> {
  const stage = await finalStage(store, run.id);
  const records: Json[] = [];
  for await (const record of store.records.read(run.id, stage)) records.push(record as Json);
  return records;
}
