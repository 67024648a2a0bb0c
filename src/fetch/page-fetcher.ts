/**
 * The `Fetcher` of runs: a page over HTTP (one undici keep-alive agent) or, when the request asks
 * for it, in a browser; URL validation, robots.txt and per-host adaptive rate limiting before
 * every hop (polite-hops.ts), retries, and a record of what the crawl got when recording.
 * Concurrency is not limited here: the engine caps requests in flight.
 */
import { Agent, type Dispatcher } from "undici";
import { systemClock, type Clock } from "../core/index.ts";
import { loadKey } from "./browser/load-key.ts";
import { browserEngine, LazyBrowserPool } from "./browser-loader.ts";
import { retryAfterTooLong, retryLine } from "./decision-log.ts";
import { FetchError, toFetchError } from "./errors.ts";
import {
  limiterOptions,
  settingsOf,
  type FetcherSettings,
  type HttpFetcherOptions,
} from "./fetcher-options.ts";
import { fetchOnce, type AttemptOptions, type AttemptResult } from "./http-attempt.ts";
import { PoliteHops } from "./polite-hops.ts";
import { ProxyPool, type ProxyEntry } from "./proxy-pool.ts";
import { AdaptiveRateLimiter, type HostRateStats } from "./rate-limiter.ts";
import { decideRetry } from "./retry-policy.ts";
import type { RobotsFile } from "./robots.ts";
import type { BrowserLoad } from "./settings.ts";
import type { AttemptInfo, FetchRequest, FetchResponse, Fetcher, ProxyStats } from "./types.ts";
import { hostOf, normalizeUrl } from "./url.ts";
import { resolveHeaders } from "./request-headers.ts";
import { endsTheRun } from "./proxy-errors.ts";
import { conditionalHeaders, reusedPage, worthKeeping } from "./revalidation.ts";
import { scrubbingCapture } from "./scrubbing-capture.ts";
import { wireRequest, type WireRequest } from "./wire-template.ts";

export { browserEngine } from "./browser-loader.ts";
export type { HttpFetcherOptions } from "./fetcher-options.ts";

/** The HTTP fetcher, with its rate limiter's view of each host. */
export interface HttpFetcher extends Fetcher {
  /** Per-host rate, requests, throttled count and block, for stats and the UI. */
  hostStats(): HostRateStats[];
  /** What each proxy did (none without proxies). */
  proxyStats(): ProxyStats[];
}

/**
 * Creates the HTTP fetcher. `fetch` resolves for 2xx (and `acceptStatuses`) and otherwise rejects
 * with a `FetchError`: `bad_url`/`url_too_long` at once; `robots` when disallowed; `aborted` as
 * soon as the request's signal aborts (also while waiting for a token or a retry); else the last
 * attempt's reason. Redirect hops each pass robots and the rate limiter. Call `close()` when done.
 */
export function createHttpFetcher(options: HttpFetcherOptions = {}): HttpFetcher {
  const fetcher = new PageFetcher(options);
  return {
    fetch: (request) => fetcher.fetch(request),
    hostStats: () => fetcher.hostStats(),
    proxyStats: () => fetcher.proxies?.stats() ?? [],
    close: () => fetcher.close(),
  };
}

/** The fetcher behind {@link createHttpFetcher}. */
class PageFetcher {
  private readonly settings: FetcherSettings;
  private readonly clock: Clock;
  private readonly agent: Agent;
  private readonly limiter: AdaptiveRateLimiter;
  private readonly baseHeaders: Record<string, string>;
  private readonly hops: PoliteHops;
  /** Per fetcher, not per request: these run for every page of a crawl. */
  private readonly sharedHopOptions: Omit<AttemptOptions, "headers">;
  private readonly browser: LazyBrowserPool;
  /** The scraper's proxies; none: requests go straight to the sites. */
  readonly proxies: ProxyPool | undefined;

  constructor(private readonly options: HttpFetcherOptions) {
    const settings = (this.settings = settingsOf(options));
    this.clock = options.clock ?? systemClock;
    const agentOptions = {
      keepAliveTimeout: 10_000,
      connections: 16,
      headersTimeout: settings.timeoutMs,
      bodyTimeout: settings.timeoutMs,
      connect: { timeout: settings.timeoutMs },
    };
    this.agent = new Agent(agentOptions);
    this.proxies =
      options.proxies &&
      new ProxyPool(options.proxies, { agent: agentOptions, log: options.log, secrets: options.secrets });
    this.limiter = new AdaptiveRateLimiter(limiterOptions(options, this.clock));
    this.baseHeaders = {
      "user-agent": settings.userAgent,
      accept: "text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8",
      "accept-encoding": "gzip, deflate, br",
      ...settings.headers,
    };
    this.hops = new PoliteHops(
      this.limiter,
      settings.obeyRobots,
      settings.userAgent,
      (url) => this.fetchRobotsFile(url),
      options.log,
      options.shared,
    );
    this.sharedHopOptions = {
      timeoutMs: settings.timeoutMs,
      maxBodyBytes: settings.maxBodyBytes,
      maxRedirects: settings.maxRedirects,
      acceptStatuses: settings.acceptStatuses,
      onHop: (url, status, retryAfterMs) => this.hops.after(url, status, retryAfterMs, undefined),
    };
    this.browser = new LazyBrowserPool(options, settings, this.proxies);
  }

  hostStats(): HostRateStats[] {
    return this.limiter.stats();
  }

  async close(): Promise<void> {
    this.limiter.close();
    await Promise.all([this.agent.close(), this.browser.close(), this.proxies?.close()]);
  }

  /** Fetches with retries and, when recording, keeps what the crawl got (or how it failed). */
  async fetch(request: FetchRequest): Promise<FetchResponse> {
    const capture = this.options.capture;
    if (!capture?.record) return this.fetchWithRetries(request);
    const at = Date.now();
    const engine = request.browser ? "browser" : "http";
    // How a browser page was loaded, or the body a POST sent: replay looks pages up by them.
    const load = {
      ...(request.browser && { load: loadKey(request.browser) }),
      ...(request.body && { request: request.body }),
    };
    try {
      const page = await this.fetchWithRetries(request);
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

  private async fetchWithRetries(request: FetchRequest): Promise<FetchResponse> {
    const { settings, options } = this;
    const url = checkedUrl(request.url, settings.maxUrlLength);
    const wire = wireRequest(url, request.body, options.templateHosts, options.secrets);
    for (let attemptNo = 0; ; attemptNo++) {
      try {
        return await this.attempt(url, request, attemptNo, wire);
      } catch (error) {
        // Not a request's failure (every proxy retired): the run's.
        if (!(error instanceof FetchError)) throw error;
        const failure = error;
        if (failure.reason === "aborted") throw failure;
        const decision = decideRetry(settings.policy, failure, attemptNo);
        if (!decision.retry) throw this.gaveUp(failure, attemptNo + 1, decision.why);
        if (options.log) {
          const line = retryLine(url, failure, attemptNo, settings.policy, decision);
          options.log(line.level, line.message);
        }
        await this.clock.sleep(decision.delayMs, request.signal).catch((cause: unknown) => {
          throw new FetchError("aborted", `request aborted: ${url}`, { url, cause });
        });
      }
    }
  }

  /** Notes on the final failure how many attempts were made, and why no more when that is not obvious. */
  private gaveUp(
    failure: FetchError,
    attempts: number,
    why: "spent" | "permanent" | "retry-after",
  ): FetchError {
    if (attempts > 1) failure.attempts = attempts;
    if (why === "retry-after") failure.gaveUpBecause = retryAfterTooLong(failure, this.settings.policy);
    return failure;
  }

  /**
   * One attempt, over HTTP or in the browser, each hop passing the politeness checks. `wire`: the
   * request with its URL's and body's references filled in; what it gets back is scrubbed of them.
   */
  private async attempt(
    url: string,
    request: FetchRequest,
    attemptNo: number,
    wire: WireRequest | undefined,
  ): Promise<FetchResponse> {
    let sentAt: number | undefined;
    /** When the current hop got its token, on the limiter's clock. */
    let hopSentAt: number | undefined;
    const sent = () => {
      hopSentAt = this.clock.now();
      sentAt ??= Date.now();
    };
    const proxies = this.proxies;
    /** The proxy of the attempt: picked here over HTTP, told by the browser (its context's). */
    let via: ProxyEntry | undefined = request.browser ? undefined : proxies?.pick(hostOf(url));
    try {
      const own = request.headers && resolveHeaders(request.headers, this.options.secrets);
      const attemptOptions: AttemptOptions = {
        ...this.hopOptions(request.signal),
        headers: own ? { ...this.baseHeaders, ...own.headers } : this.baseHeaders,
        ...(request.body && { body: wire?.body ?? request.body }),
        ...(own && { extraHeaders: own.headers, secrets: own.secrets }),
        ...(this.options.secrets && { secretSource: this.options.secrets }),
        beforeHop: (hop, signal) => {
          const wait = this.hops.before(wire ? wire.scrub(hop) : hop, signal);
          if (!wait) sent();
          return wait?.then(sent);
        },
        onHop: (hop, status, retryAfterMs) =>
          this.hops.after(wire ? wire.scrub(hop) : hop, status, retryAfterMs, hopSentAt),
        ...(proxies && { viaProxy: (id: string) => (via = proxies.byId(id)) }),
      };
      const page = request.browser
        ? await this.fetchInBrowser(url, request.browser, attemptOptions, wire)
        : await this.fetchHttp(
            via ? proxies!.dispatcher(via) : this.agent,
            url,
            request,
            attemptOptions,
            wire,
          );
      if (via) proxies!.succeeded(via, page.status);
      if (sentAt !== undefined) {
        this.reportAttempt(url, attemptNo, sentAt, {
          // The wire's status: a reused page is 200 to the crawl, 304 in the stats.
          status: page.notModified ? 304 : page.status,
          bytes: page.bytes,
          latencyMs: page.latencyMs,
          ...(page.notModified && { notModified: true }),
        });
      }
      return { ...page, url: request.url, retries: attemptNo };
    } catch (error) {
      if (endsTheRun(error)) throw error;
      const aborted = request.signal?.aborted ?? false;
      let failure = toFetchError(error, { url, phase: "connect", aborted });
      if (wire) failure = scrubbedError(failure, url, wire);
      // A refused tunnel shows as an abort from undici: only the caller's signal is one.
      if (via && !aborted) failure = proxies!.judge(via, failure, hostOf(url));
      if (sentAt !== undefined) {
        const info: Partial<AttemptInfo> = { reason: failure.reason };
        if (failure.status !== undefined) info.status = failure.status;
        this.reportAttempt(url, attemptNo, sentAt, info);
      }
      throw failure;
    }
  }

  /** A page loaded in the browser, what it captures and gives back scrubbed of `wire`'s values. */
  private async fetchInBrowser(
    url: string,
    load: BrowserLoad,
    options: AttemptOptions,
    wire: WireRequest | undefined,
  ): Promise<AttemptResult> {
    const capture = this.options.capture;
    const page = await (
      await browserEngine()
    ).fetchInBrowser(
      await this.browser.get(),
      wire?.url ?? url,
      load,
      options,
      wire && capture ? scrubbingCapture(capture, wire) : capture,
    );
    return scrubbed(page, wire);
  }

  /**
   * A page over HTTP; with `cache: revalidate`, a GET asks with the validators of the page stored
   * before and a 304 gives that page back (a 304 whose body is gone: fetched again in full).
   */
  private async fetchHttp(
    dispatcher: Dispatcher,
    url: string,
    request: FetchRequest,
    options: AttemptOptions,
    wire: WireRequest | undefined,
  ): Promise<AttemptResult> {
    const once = async (attemptOptions: AttemptOptions) =>
      scrubbed(await fetchOnce(dispatcher, wire?.url ?? url, attemptOptions), wire);
    const cache = this.options.revalidation;
    if (!cache || request.body) return once(options);
    const cached = await cache.lookup(url);
    const conditional = cached && conditionalHeaders(cached);
    if (cached && conditional) {
      const acceptStatuses = [...(options.acceptStatuses ?? []), 304];
      const headers = { ...options.headers, ...conditional };
      const answer = await once({ ...options, headers, acceptStatuses });
      if (answer.status !== 304) return this.kept(url, answer);
      const onDemand = request.keptBodyOnDemand === true && !this.options.capture?.record;
      const reused = await reusedPage(cached, answer, onDemand);
      if (reused) return reused;
    }
    return this.kept(url, await once(options));
  }

  /** Keeps a page worth revalidating next run; hands it on. */
  private async kept(url: string, page: AttemptResult): Promise<AttemptResult> {
    if (!worthKeeping(page)) return page;
    return { ...page, bodySha256: await this.options.revalidation!.save(url, page) };
  }

  /** Tells `onAttempt` about an attempt that reached the network. */
  private reportAttempt(url: string, attemptNo: number, sentAt: number, info: Partial<AttemptInfo>): void {
    this.options.onAttempt?.({
      url,
      host: hostOf(url),
      bytes: 0,
      latencyMs: Date.now() - sentAt,
      attempt: attemptNo,
      ...info,
    });
  }

  private hopOptions(signal: AbortSignal | undefined): Omit<AttemptOptions, "headers"> {
    return signal ? { ...this.sharedHopOptions, signal } : this.sharedHopOptions;
  }

  /** A host's robots.txt, fetched through the rate limiter; an error status is an answer too. */
  private async fetchRobotsFile(url: string): Promise<RobotsFile> {
    try {
      const proxies = this.proxies;
      const dispatcher = proxies ? proxies.dispatcher(proxies.pick(hostOf(url))) : this.agent;
      const page = await fetchOnce(dispatcher, url, {
        ...this.hopOptions(undefined),
        maxBodyBytes: 512 * 1024,
        headers: this.baseHeaders,
        beforeHop: (hop) => this.limiter.acquire(hostOf(hop)),
      });
      return { status: page.status, body: page.body };
    } catch (error) {
      if (error instanceof FetchError && error.status !== undefined)
        return { status: error.status, body: "" };
      throw error;
    }
  }
}

/** A page with the values its request's references were filled with taken back out. */
function scrubbed(page: AttemptResult, wire: WireRequest | undefined): AttemptResult {
  if (!wire) return page;
  const headers = Object.fromEntries(
    Object.entries(page.headers).map(([name, value]) => [name, wire.scrub(value)]),
  );
  return { ...page, finalUrl: wire.scrub(page.finalUrl), headers, body: wire.scrub(page.body) };
}

/** A failure told with the request's references (its URL, its message), never their values. */
function scrubbedError(failure: FetchError, url: string, wire: WireRequest): FetchError {
  return new FetchError(failure.reason, wire.scrub(failure.message), {
    url,
    ...(failure.retryable !== undefined && { retryable: failure.retryable }),
    ...(failure.status !== undefined && { status: failure.status }),
    ...(failure.retryAfterMs !== undefined && { retryAfterMs: failure.retryAfterMs }),
  });
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
