/**
 * The HTTP `Fetcher`: URL validation, robots.txt, per-host adaptive rate limiting, one attempt
 * over an undici keep-alive agent, and retries. Concurrency is not limited here: the engine caps
 * requests in flight.
 */
import { Agent } from "undici";
import { systemClock } from "../core/clock.ts";
import { UsageError } from "../core/errors.ts";
import type { Clock } from "../core/clock.ts";
import type { BrowserSettings, Politeness } from "./settings.ts";
import type { BrowserPool } from "./browser/browser-pool.ts";
import { loadKey } from "./browser/load-key.ts";
import { FetchError, fetchError, toFetchError } from "./errors.ts";
import { fetchOnce } from "./http-attempt.ts";
import type { AttemptOptions } from "./http-attempt.ts";
import { AdaptiveRateLimiter } from "./rate-limiter.ts";
import type { HostRateStats, RateLimiterOptions } from "./rate-limiter.ts";
import { FETCH_DEFAULTS, rateBounds } from "./fetch-defaults.ts";
import { rateChangeLine, retryAfterTooLong, retryLine } from "./decision-log.ts";
import { decideRetry } from "./retry-policy.ts";
import type { RetryPolicy } from "./retry-policy.ts";
import { RobotsCache } from "./robots.ts";
import type { RobotsFile } from "./robots.ts";
import type { AttemptInfo, CaptureSink, FetchRequest, FetchResponse, Fetcher } from "./types.ts";
import { hostOf, normalizeUrl } from "./url.ts";

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
  /** The browser engine for requests that ask for it; none: such requests fail. */
  browser?: BrowserSettings | null;
  /** Where the browser's cookies and storage are kept between runs; none: not kept. */
  sessionFile?: string | undefined;
  /** What to capture (pages, browser responses, actions, screenshots) and where it goes. */
  capture?: CaptureSink | undefined;
  /**
   * Where the fetcher's decisions go: each retry and its wait (info), a host's rate cut or
   * `Retry-After` block (warn), an unreadable robots.txt (warn), login progress. A request given
   * up is not logged here: it fails, and its caller logs that once (see `FetchError.attempts`).
   */
  log?(level: "debug" | "info" | "warn", message: string): void;
}

/** The HTTP fetcher, with its rate limiter's view of each host. */
export interface HttpFetcher extends Fetcher {
  /** Per-host rate, requests, throttled count and block, for stats and the UI. */
  hostStats(): HostRateStats[];
}

interface Settings {
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
function settingsOf(options: HttpFetcherOptions): Settings {
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

/**
 * Creates the HTTP fetcher. `fetch` resolves for 2xx (and `acceptStatuses`) and otherwise rejects
 * with a `FetchError`: `bad_url`/`url_too_long` at once; `robots` when disallowed; `aborted` as
 * soon as the request's signal aborts (also while waiting for a token or a retry); else the last
 * attempt's reason. Redirect hops each pass robots and the rate limiter. Call `close()` when done.
 */
export function createHttpFetcher(options: HttpFetcherOptions = {}): HttpFetcher {
  const settings = settingsOf(options);
  const clock = options.clock ?? systemClock;
  const agent = new Agent({
    keepAliveTimeout: 10_000,
    connections: 16,
    headersTimeout: settings.timeoutMs,
    bodyTimeout: settings.timeoutMs,
    connect: { timeout: settings.timeoutMs },
  });
  const limiter = new AdaptiveRateLimiter(limiterOptions(options, clock));
  const baseHeaders = {
    "user-agent": settings.userAgent,
    accept: "text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8",
    "accept-encoding": "gzip, deflate, br",
    ...settings.headers,
  };
  const robots = new RobotsCache({
    fetchRobots: (url) => fetchRobotsFile(url),
    log: (level, message) => options.log?.(level, message),
  });

  async function fetchRobotsFile(url: string): Promise<RobotsFile> {
    try {
      const page = await fetchOnce(agent, url, {
        ...hopOptions(undefined),
        maxBodyBytes: 512 * 1024,
        headers: baseHeaders,
        beforeHop: (hop) => limiter.acquire(hostOf(hop)),
      });
      return { status: page.status, body: page.body };
    } catch (error) {
      if (error instanceof FetchError && error.status !== undefined)
        return { status: error.status, body: "" };
      throw error;
    }
  }

  // Per fetcher, not per request: these run for every page of a crawl.
  const sharedHopOptions: Omit<AttemptOptions, "headers"> = {
    timeoutMs: settings.timeoutMs,
    maxBodyBytes: settings.maxBodyBytes,
    maxRedirects: settings.maxRedirects,
    acceptStatuses: settings.acceptStatuses,
    onHop: (url, status, retryAfterMs) => onHop(url, status, retryAfterMs, undefined),
  };

  /** Tells the rate limiter a hop's status (and when the hop was sent, when known); logs what changed. */
  function onHop(url: string, status: number, retryAfterMs: number | undefined, sentAt: number | undefined) {
    const change = limiter.onResponse(hostOf(url), status, retryAfterMs, sentAt);
    if (change && options.log) {
      const line = rateChangeLine(change);
      options.log(line.level, line.message);
    }
  }

  function hopOptions(signal: AbortSignal | undefined): Omit<AttemptOptions, "headers"> {
    return signal ? { ...sharedHopOptions, signal } : sharedHopOptions;
  }

  /** Robots and the rate limiter before a hop; nothing to await when both say go at once. */
  function politeHop(url: string, signal: AbortSignal | undefined): Promise<void> | undefined {
    if (signal?.aborted) return Promise.reject(abortedFetch(url, signal.reason));
    const allowed = settings.obeyRobots ? robots.allowedNow(url, settings.userAgent) : true;
    if (allowed === false) return Promise.reject(robots.denial(url, settings.userAgent));
    if (allowed === true && limiter.tryAcquire(hostOf(url))) return undefined;
    return politeWait(url, signal, allowed === undefined);
  }

  async function politeWait(
    url: string,
    signal: AbortSignal | undefined,
    loadRobots: boolean,
  ): Promise<void> {
    try {
      if (loadRobots) await untilAborted(robots.assertAllowed(url, settings.userAgent), signal);
      await limiter.acquire(hostOf(url), signal);
    } catch (error) {
      if (signal?.aborted || (error instanceof UsageError && error.code === "TRAWL_ERR_FETCH_CLOSED")) {
        throw abortedFetch(url, error);
      }
      throw error;
    }
  }

  async function attempt(url: string, request: FetchRequest, attemptNo: number): Promise<FetchResponse> {
    let sentAt: number | undefined;
    /** When the current hop got its token, on the limiter's clock. */
    let hopSentAt: number | undefined;
    const sent = () => {
      hopSentAt = clock.now();
      sentAt ??= Date.now();
    };
    try {
      const attemptOptions: AttemptOptions = {
        ...hopOptions(request.signal),
        headers: request.headers ? { ...baseHeaders, ...request.headers } : baseHeaders,
        beforeHop: (hop, signal) => {
          const wait = politeHop(hop, signal);
          if (!wait) sent();
          return wait?.then(sent);
        },
        onHop: (hop, status, retryAfterMs) => onHop(hop, status, retryAfterMs, hopSentAt),
      };
      const page = request.browser
        ? await (
            await browserEngine()
          ).fetchInBrowser(await browserPool(), url, request.browser, attemptOptions, options.capture)
        : await fetchOnce(agent, url, attemptOptions);
      if (sentAt !== undefined) {
        reportAttempt(url, attemptNo, sentAt, {
          status: page.status,
          bytes: page.bytes,
          latencyMs: page.latencyMs,
        });
      }
      return { ...page, url: request.url, retries: attemptNo };
    } catch (error) {
      const failure = toFetchError(error, {
        url,
        phase: "connect",
        aborted: request.signal?.aborted ?? false,
      });
      if (sentAt !== undefined) {
        const info: Partial<AttemptInfo> = { reason: failure.reason };
        if (failure.status !== undefined) info.status = failure.status;
        reportAttempt(url, attemptNo, sentAt, info);
      }
      throw failure;
    }
  }

  /** Tells `onAttempt` about an attempt that reached the network. */
  function reportAttempt(url: string, attemptNo: number, sentAt: number, info: Partial<AttemptInfo>): void {
    options.onAttempt?.({
      url,
      host: hostOf(url),
      bytes: 0,
      latencyMs: Date.now() - sentAt,
      attempt: attemptNo,
      ...info,
    });
  }

  /** Fetches with retries and, when recording, keeps what the crawl got (or how it failed). */
  async function fetch(request: FetchRequest): Promise<FetchResponse> {
    const capture = options.capture;
    if (!capture?.record) return fetchWithRetries(request);
    const at = Date.now();
    const engine = request.browser ? "browser" : "http";
    const load = request.browser ? { load: loadKey(request.browser) } : {};
    try {
      const page = await fetchWithRetries(request);
      const { url, finalUrl, status, headers, body } = page;
      await capture.add({ kind: "page", at, url, engine, ...load, finalUrl, status, headers, body });
      return page;
    } catch (error) {
      if (error instanceof FetchError && error.reason !== "aborted") {
        const status = error.status !== undefined ? { status: error.status } : {};
        const detail = { reason: error.reason, message: error.message, ...status };
        await capture.add({ kind: "page", at, url: request.url, engine, ...load, error: detail });
      }
      throw error;
    }
  }

  async function fetchWithRetries(request: FetchRequest): Promise<FetchResponse> {
    const url = checkedUrl(request.url, settings.maxUrlLength);
    for (let attemptNo = 0; ; attemptNo++) {
      try {
        return await attempt(url, request, attemptNo);
      } catch (error) {
        const failure = error as FetchError;
        if (failure.reason === "aborted") throw failure;
        const decision = decideRetry(settings.policy, failure, attemptNo);
        if (!decision.retry) throw gaveUp(failure, attemptNo + 1, decision.why);
        if (options.log) {
          const line = retryLine(url, failure, attemptNo, settings.policy, decision);
          options.log(line.level, line.message);
        }
        await clock.sleep(decision.delayMs, request.signal).catch((cause: unknown) => {
          throw new FetchError("aborted", `request aborted: ${url}`, { url, cause });
        });
      }
    }
  }

  /** Notes on the final failure how many attempts were made, and why no more when that is not obvious. */
  function gaveUp(
    failure: FetchError,
    attempts: number,
    why: "spent" | "permanent" | "retry-after",
  ): FetchError {
    if (attempts > 1) failure.attempts = attempts;
    if (why === "retry-after") failure.gaveUpBecause = retryAfterTooLong(failure, settings.policy);
    return failure;
  }

  let pool: Promise<BrowserPool> | undefined;
  function browserPool(): Promise<BrowserPool> {
    const browser = options.browser;
    if (!browser) {
      throw fetchError("TRAWL_ERR_FETCH_NO_BROWSER");
    }
    return (pool ??= browserEngine().then(
      ({ BrowserPool }) =>
        new BrowserPool(browser, settings.userAgent, {
          sessionFile: options.sessionFile,
          capture: options.capture,
          timeoutMs: settings.timeoutMs,
          log: (level, message) => options.log?.(level, message),
        }),
    ));
  }

  return {
    fetch,
    hostStats: () => limiter.stats(),
    close: async () => {
      limiter.close();
      await Promise.all([
        agent.close(),
        pool?.then(
          (p) => p.close(),
          () => undefined,
        ),
      ]);
    },
  };
}

/**
 * The browser engine, loaded at the first browser page: playwright-core alone costs about 90 MB
 * of memory, which a crawl over HTTP should not pay.
 */
export function browserEngine() {
  return import("./browser/engine.ts");
}

/** Settles like `work`, or rejects with the signal's reason as soon as it aborts (work goes on, shared). */
function untilAborted<T>(work: Promise<T>, signal: AbortSignal | undefined): Promise<T> {
  if (!signal) return work;
  if (signal.aborted) return Promise.reject(signal.reason);
  return new Promise<T>((resolve, reject) => {
    const onAbort = () => reject(signal.reason);
    signal.addEventListener("abort", onAbort, { once: true });
    work.then(resolve, reject).finally(() => signal.removeEventListener("abort", onAbort));
  });
}

/** The limiter's bounds from the fetcher's options, with the defaults' rule for those not given. */
function limiterOptions(options: HttpFetcherOptions, clock: Clock): RateLimiterOptions {
  const { start, min, max } = rateBounds(
    options.ratePerHost ?? FETCH_DEFAULTS.ratePerHost,
    options.minRatePerHost,
    options.maxRatePerHost,
  );
  return { clock, initialRate: start, minRate: min, maxRate: max };
}

function checkedUrl(raw: string, maxLength: number): string {
  const url = normalizeUrl(raw);
  if (url === null)
    throw new FetchError("bad_url", `not an absolute http(s) URL: ${raw}`, { url: raw, retryable: false });
  if (url.length > maxLength) {
    throw new FetchError("url_too_long", `URL longer than ${maxLength} characters`, {
      url: url.slice(0, 200),
      retryable: false,
    });
  }
  return url;
}

function abortedFetch(url: string, cause: unknown): FetchError {
  return new FetchError("aborted", `request aborted: ${url}`, { url, cause, retryable: false });
}
