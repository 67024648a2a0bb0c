export { App, type AppOptions } from "./app.ts";
export { APP_ERRORS, appError } from "./errors.ts";
export { openAppMetrics, type AppMetrics } from "./metrics.ts";
export { diagnosticsFileName, exportDiagnostics, type DiagnosticsOptions } from "./diagnostics.ts";
export { describeRun, type RunSummary } from "./run-summary.ts";
export { FleetWorker, type FleetWorkerOptions } from "./fleet-worker.ts";
export { listFleet, STALE_AFTER_MS, FORGET_AFTER_MS } from "./fleet.ts";
export {
  WorkerReporter,
  engineActivity,
  reportWhileExecuting,
  type WorkerActivity,
  type WorkerReporterOptions,
} from "./worker-reporter.ts";
export {
  compareRuns,
  finalStage,
  previousRun,
  requireRun,
  runChanges,
  type RunChanges,
  type RunComparison,
} from "./compare-runs.ts";
export { findScrapers, checkScraper, type ScraperEntry } from "./scraper-catalog.ts";
export { replayRun, type ReplayReport } from "./replay-run.ts";
export { sharedPoliteness } from "./shared-politeness.ts";
export { DatasetRecordSources, type DatasetRecordSource } from "./dataset-records.ts";
// Commands and routes load definitions through the facade, not from pipeline/ themselves.
export { checkStartFiles, loadScraper, type CompiledScraper } from "../pipeline/index.ts";
