/** The fetch layer's public API: what the engine and other layers may use. */
export type {
  AttemptInfo,
  CaptureSink,
  FetchCapture,
  FetchRequest,
  FetchResponse,
  Fetcher,
  ProxyStats,
  ReasonCode,
} from "./types.ts";
export { PROXY_SCHEMES, proxyUrlProblem } from "./proxy-settings.ts";
export type { ProxyRotation, ProxySettings } from "./proxy-settings.ts";
export { endsTheRun } from "./proxy-errors.ts";
export {
  clearSession,
  listSessions,
  sessionFileOf,
  type SessionCipher,
  type SessionSummary,
} from "./browser/session-file.ts";
export { FetchError, FETCH_ERRORS, fetchError } from "./errors.ts";
export { normalizeUrl, hostOf } from "./url.ts";
export { browserEngine, createHttpFetcher } from "./page-fetcher.ts";
export { FETCH_DEFAULTS, rateBounds } from "./fetch-defaults.ts";
export type { FetchDefaults, PaceDefaults, RateBounds } from "./fetch-defaults.ts";
export { loadKey } from "./browser/load-key.ts";
export type { HttpFetcher, HttpFetcherOptions } from "./page-fetcher.ts";
export type { CachedPage, RevalidationCache } from "./revalidation.ts";
export type { SharedPoliteness, SharedRobotsAnswer, SharedRobotsFile } from "./shared-politeness.ts";
export { AdaptiveRateLimiter } from "./rate-limiter.ts";
export type { HostRateStats, RateChange, RateLimiterOptions } from "./rate-limiter.ts";
export { DEFAULT_RETRY_POLICY, decideRetry, isRetryable, retryDelay } from "./retry-policy.ts";
export type { RetryPolicy, RetryableFailure } from "./retry-policy.ts";
export { decodeBody } from "./charset.ts";
export type { DecodedBody } from "./charset.ts";
export type {
  BlockedResource,
  BrowserLoad,
  BrowserSettings,
  LoginSequence,
  PageAction,
  Politeness,
  ReadyCheck,
} from "./settings.ts";
export {
  envNamesIn,
  redact,
  requireEnv,
  requireSecrets,
  resolveTemplate,
  secretLinesIn,
  secretNamesIn,
  withoutTemplateReferences,
} from "./env-template.ts";
export type { ResolvedTemplate, SecretReferences, SecretSource } from "./env-template.ts";
export { compactReferences, templateKeysIn } from "./wire-template.ts";
export type { TemplateHosts, TemplateKey } from "./wire-template.ts";
export { describeAction } from "./browser/describe-action.ts";
