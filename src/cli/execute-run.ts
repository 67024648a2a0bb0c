import type { App, CompiledScraper, RunSummary } from "../app/index.ts";
import { describeRun } from "../app/index.ts";
import { ExitCode } from "../core/index.ts";
import { onInterrupt } from "./interrupt.ts";
import { formatDuration, printJson, printTable } from "./output.ts";
import { showProgress } from "./progress-view.ts";

/**
 * How `executeRun` reports the finished run on stdout: the summary table, the JSON summary, or
 * nothing (a caller that prints one document for several runs).
 */
export type RunOutput = "text" | "json" | "none";

/** Executes a run in this process with live progress and Ctrl-C handling; returns the exit code. */
export async function executeRun(
  app: App,
  runId: string,
  scraper: CompiledScraper,
  output: RunOutput,
): Promise<number> {
  const hideProgress = showProgress(app.engine.bus, runId);
  const releaseInterrupt = onInterrupt(() => void app.engine.stop(runId).catch(() => {}));
  let summary: RunSummary;
  try {
    summary = await describeRun(app.store, await app.engine.execute(runId, scraper));
  } finally {
    releaseInterrupt();
    hideProgress();
  }
  if (output === "json") printJson(summary);
  else if (output === "text") printRunSummary(summary);
  return exitCodeOf(summary);
}

/** 0 when the run succeeded, 130 when it was stopped (resumable), 1 otherwise. */
export function exitCodeOf(summary: RunSummary): number {
  if (summary.status === "succeeded") return ExitCode.ok;
  if (summary.status === "paused" || summary.status === "interrupted") return ExitCode.interrupted;
  return ExitCode.failed;
}

/** The human-readable end-of-run report. */
export function printRunSummary(summary: RunSummary): void {
  const took =
    summary.stats.runningSeconds !== undefined ? formatDuration(summary.stats.runningSeconds * 1000) : "-";
  const dataset = summary.dataset ? ` (dataset ${summary.dataset.name} v${summary.dataset.version})` : "";
  process.stdout.write(
    `run ${summary.id} ${summary.status} in ${took}: ${summary.records} records${dataset}, ` +
      `${summary.pages.done} pages, ${summary.pages.failed} failed\n`,
  );
  if (summary.error) process.stdout.write(`error: ${summary.error}\n`);
  printTable(
    ["target", "status", "records", "errors"],
    summary.targets.map((t) => [t.name, t.status, t.records, t.errors]),
  );
  for (const error of summary.errors) {
    process.stdout.write(`  ${error.reason} ×${error.count} (e.g. ${error.example})\n`);
  }
  if (summary.status === "paused" || summary.status === "interrupted") {
    process.stdout.write(`resume with: trawl resume ${summary.id}\n`);
  }
}
