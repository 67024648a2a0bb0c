/** The options of the page fetcher, and the settings it works with: each option, else the fetch defaults. */
import type { Clock } from "../core/index.ts";
import { FETCH_DEFAULTS, rateBounds } from "./fetch-defaults.ts";
import type { SessionCipher } from "./browser/session-file.ts";
import type { SecretSource } from "./env-template.ts";
import type { ProxySettings } from "./proxy-settings.ts";
import type { RevalidationCache } from "./revalidation.ts";
import type { RateLimiterOptions } from "./rate-limiter.ts";
import type { RetryPolicy } from "./retry-policy.ts";
import type { SharedPoliteness } from "./shared-politeness.ts";
import type { BrowserSettings, Politeness } from "./settings.ts";
import type { AttemptInfo, CaptureSink } from "./types.ts";
import type { TemplateHosts } from "./wire-template.ts";

/**
 * Options of {@link createHttpFetcher}: the scraper's `Politeness` (all optional, same defaults;
 * `concurrency` is accepted and ignored) plus wiring.
 */
export interface HttpFetcherOptions extends Partial<Politeness> {
  /** Drives retry sleeps and the rate limiter. @defaultValue systemClock */
  clock?: Clock;
  /** Called once per attempt that reached the network (not for robots denials or cancels before sending). */
  onAttempt?(info: AttemptInfo): void;
  /** Backoff ceiling of the first retry. @defaultValue `FETCH_DEFAULTS.retry.baseDelayMs` (500) */
  retryBaseDelayMs?: number;
  /** Backoff ceiling of any retry. @defaultValue `FETCH_DEFAULTS.retry.maxDelayMs` (30000) */
  retryMaxDelayMs?: number;
  /** Statuses besides 2xx that resolve rather than fail. @defaultValue [] */
  acceptStatuses?: readonly number[];
  /** Longer URLs fail with `url_too_long`. @defaultValue `FETCH_DEFAULTS.maxUrlLength` (2048) */
  maxUrlLength?: number;
  /** Headers sent with every request (a request's own headers win). */
  headers?: Record<string, string>;
  /** Proxies every request goes through (both engines); none: straight to the sites. */
  proxies?: ProxySettings | undefined;
  /** The browser engine for requests that ask for it; none: such requests fail. */
  browser?: BrowserSettings | null;
  /** Where the browser's cookies and storage are kept between runs; none: not kept. */
  sessionFile?: string | undefined;
  /** Encrypts that file (cookies are credentials); none: it is plain JSON. */
  sessionCipher?: SessionCipher | undefined;
  /** Pages kept between runs for `cache: revalidate`; none: every page is fetched in full. */
  revalidation?: RevalidationCache | undefined;
  /** Values of `{{ secret.NAME }}` (the app wires the secrets vault in); none: a secret reference fails. */
  secrets?: SecretSource | undefined;
  /**
   * The hosts each `{{ secret.NAME }}`/`{{ env.NAME }}` of a request's URL or body may be sent to
   * (the definition's start requests'); none: a URL or body reference fails the request.
   */
  templateHosts?: TemplateHosts | undefined;
  /** What to capture (pages, browser responses, actions, screenshots) and where it goes. */
  capture?: CaptureSink | undefined;
  /**
   * The run's per-host send slots, `Retry-After` blocks and robots.txt, shared with its other
   * processes (workers on PostgreSQL); none: kept in this process (SQLite, one process per run).
   */
  shared?: SharedPoliteness | undefined;
  /**
   * Where the fetcher's decisions go: each retry and its wait (info), a host's rate cut or
   * `Retry-After` block (warn), an unreadable robots.txt (warn), login progress. A request given
   * up is not logged here: it fails, and its caller logs that once (see `FetchError.attempts`).
   */
  log?(level: "debug" | "info" | "warn", message: string): void;
}

/** What the fetcher works with: its options, else the fetch defaults. */
export interface FetcherSettings {
  userAgent: string;
  obeyRobots: boolean;
  timeoutMs: number;
  maxBodyBytes: number;
  maxRedirects: number;
  maxUrlLength: number;
  acceptStatuses: readonly number[];
  headers: Record<string, string>;
  policy: RetryPolicy;
}

/** The fetcher's settings: its options, else the fetch defaults. */
export function settingsOf(options: HttpFetcherOptions): FetcherSettings {
  const defaults = FETCH_DEFAULTS;
  return {
    userAgent: options.userAgent || defaults.userAgent,
    obeyRobots: options.obeyRobots ?? defaults.obeyRobots,
    timeoutMs: options.timeoutMs ?? defaults.timeoutMs,
    maxBodyBytes: options.maxBodyBytes ?? defaults.maxBodyBytes,
    maxRedirects: options.maxRedirects ?? defaults.maxRedirects,
    maxUrlLength: options.maxUrlLength ?? defaults.maxUrlLength,
    acceptStatuses: options.acceptStatuses ?? [],
    headers: options.headers ?? {},
    policy: {
      ...defaults.retry,
      retries: options.retries ?? defaults.retry.retries,
      baseDelayMs: options.retryBaseDelayMs ?? defaults.retry.baseDelayMs,
      maxDelayMs: options.retryMaxDelayMs ?? defaults.retry.maxDelayMs,
      retryStatuses: options.retryStatuses ?? defaults.retry.retryStatuses,
    },
  };
}

/** The limiter's bounds from the fetcher's options, with the defaults' rule for those not given. */
export function limiterOptions(options: HttpFetcherOptions, clock: Clock): RateLimiterOptions {
  const { start, min, max } = rateBounds(
    options.ratePerHost ?? FETCH_DEFAULTS.ratePerHost,
    options.minRatePerHost,
    options.maxRatePerHost,
  );
  return { clock, initialRate: start, minRate: min, maxRate: max, shared: options.shared };
}
