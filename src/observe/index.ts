/** Observability: the Prometheus metrics of a trawl process (issue 16). */
export { TrawlMetrics, type MetricsOptions } from "./metrics.ts";
export { busiestHosts, NAMED_HOSTS, type HostRateSample } from "./host-rates.ts";
export { serveMetrics, type MetricsEndpoint, type MetricsEndpointOptions } from "./metrics-http.ts";
export * from "./errors.ts";
export { listLogFiles, newestLogLines, readLastLogLines, LOG_FILE_NAME } from "./log-files.ts";
export {
  writeDiagnosticsBundle,
  BUNDLE_LOG_LINES,
  BUNDLE_RUNS,
  type BundleSection,
  type DiagnosticsSources,
  type DiagnosticsSummary,
} from "./diagnostics.ts";
export { Redactor, REDACTION_KINDS, type KnownValues, type RedactionReport } from "./redact.ts";
export {
  startProcessLog,
  stopProcessLog,
  processLog,
  processLogOpen,
  type ProcessLogOptions,
  type ProcessLogThreshold,
} from "./process-log.ts";
export { mirrorRunEvent, executingRunIds } from "./process-log-mirror.ts";
export {
  installCrashHandler,
  buildCrashReport,
  writeCrashReport,
  listCrashReports,
  readCrashReport,
  CRASH_LOG_LINES,
  type CrashHandlerOptions,
} from "./crash-report.ts";
export { redactArgv } from "./crash-report-redact.ts";
export { searchLogs, parseLogLine, type LogSearch } from "./log-search.ts";
export { startRunTracing, type RunTracing } from "./tracing.ts";
