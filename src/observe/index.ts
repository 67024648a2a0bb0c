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
