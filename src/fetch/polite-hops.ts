/**
 * Politeness around each hop (a request or one of its redirects): robots.txt and the per-host
 * adaptive rate limiter before it, the limiter told of its status after it.
 */
import { UsageError } from "../core/index.ts";
import { rateChangeLine } from "./decision-log.ts";
import { FetchError } from "./errors.ts";
import type { AdaptiveRateLimiter } from "./rate-limiter.ts";
import { RobotsCache, type RobotsFile } from "./robots.ts";
import type { SharedPoliteness } from "./shared-politeness.ts";
import { hostOf } from "./url.ts";

/** Where the decisions go: rate cuts and `Retry-After` blocks, an unreadable robots.txt. */
type DecisionLog = (level: "debug" | "info" | "warn", message: string) => void;

/** Robots.txt (when obeyed) and the rate limiter, asked before every hop and told after it. */
export class PoliteHops {
  private readonly robots: RobotsCache;

  /**
   * @param fetchRobots - fetches a host's robots.txt (itself through the rate limiter)
   * @param shared - the run's robots.txt shared with its other processes (the limiter has its slots)
   */
  constructor(
    private readonly limiter: AdaptiveRateLimiter,
    private readonly obeyRobots: boolean,
    private readonly userAgent: string,
    fetchRobots: (url: string) => Promise<RobotsFile>,
    private readonly log: DecisionLog | undefined,
    shared?: SharedPoliteness,
  ) {
    this.robots = new RobotsCache({ fetchRobots, log: (level, message) => log?.(level, message), shared });
  }

  /** Robots and the rate limiter before a hop; nothing to await when both say go at once. */
  before(url: string, signal: AbortSignal | undefined): Promise<void> | undefined {
    if (signal?.aborted) return Promise.reject(abortedFetch(url, signal.reason));
    const allowed = this.obeyRobots ? this.robots.allowedNow(url, this.userAgent) : true;
    if (allowed === false) return Promise.reject(this.robots.denial(url, this.userAgent));
    if (allowed === true && this.limiter.tryAcquire(hostOf(url))) return undefined;
    return this.wait(url, signal, allowed === undefined);
  }

  /** Tells the rate limiter a hop's status (and when the hop was sent, when known); logs what changed. */
  after(url: string, status: number, retryAfterMs: number | undefined, sentAt: number | undefined): void {
    const change = this.limiter.onResponse(hostOf(url), status, retryAfterMs, sentAt);
    if (change && this.log) {
      const line = rateChangeLine(change);
      this.log(line.level, line.message);
    }
  }

  private async wait(url: string, signal: AbortSignal | undefined, loadRobots: boolean): Promise<void> {
    try {
      if (loadRobots) await untilAborted(this.robots.assertAllowed(url, this.userAgent), signal);
      await this.limiter.acquire(hostOf(url), signal);
    } catch (error) {
      if (signal?.aborted || (error instanceof UsageError && error.code === "TRAWL_ERR_FETCH_CLOSED")) {
        throw abortedFetch(url, error);
      }
      throw error;
    }
  }
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

function abortedFetch(url: string, cause: unknown): FetchError {
  return new FetchError("aborted", `request aborted: ${url}`, { url, cause, retryable: false });
}
