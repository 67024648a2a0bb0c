/**
 * Every default of fetching, in one frozen object (as Scrapy's `default_settings.py`): the
 * definition schema shows and fills them in, the compiler derives a rate's bounds with them, and
 * the fetcher and its rate limiter fall back to them when created without a definition. A default
 * changes here and nowhere else.
 */
import { DEFAULT_RETRY_POLICY } from "./retry-policy.ts";

const MiB = 1024 * 1024;

/** The pace rules of the per-host rate limiter (see docs/politeness.md). */
export interface PaceDefaults {
  /** The rate multiplier of a cut. @defaultValue 0.7 */
  readonly cutFactor: number;
  /** Time to climb from a cut back to the rate at which the host pushed back. @defaultValue 2000 */
  readonly recoverMs: number;
  /** Time to probe from nothing up to the maximum, slowly at first; a shorter way takes its share. @defaultValue 20000 */
  readonly probeMs: number;
  /**
   * Throttles of requests sent before a cut answer the same overload: one cut for them all. When
   * the send time is unknown, throttles this soon after a cut count as such. @defaultValue 1000
   */
  readonly cooldownMs: number;
  /**
   * A throttle that names its wait (`Retry-After`) cuts the rate only when it comes within this
   * long of the previous throttle or the end of that one's wait; alone, the wait answers it.
   * @defaultValue 1500
   */
  readonly quietMs: number;
  /** The span over which a host's goodput (answers per second) is measured. @defaultValue 30000 */
  readonly goodputWindowMs: number;
  /** Responses a host must have given before its goodput sets the ceiling of a cut. @defaultValue 50 */
  readonly goodputMinResponses: number;
  /** Longest block a `Retry-After` can impose, so a hostile value cannot stall a run for days. @defaultValue 300000 */
  readonly maxBlockMs: number;
  /** The statuses that tell a host's limiter to slow down. @defaultValue [429, 503] */
  readonly throttleStatuses: readonly number[];
}

/** The defaults of {@link FETCH_DEFAULTS}, field by field. */
export interface FetchDefaults {
  /** `User-Agent` of every request. */
  readonly userAgent: string;
  /** Requests in flight at once (the engine's cap). */
  readonly concurrency: number;
  /** `concurrency: auto`: where the autoscaled concurrency starts, and its bounds. */
  readonly autoConcurrency: Readonly<{ start: number; min: number; max: number }>;
  /** Requests/second per host: where a host starts, and the most it is asked for. */
  readonly ratePerHost: number;
  /** A host's floor as a share of its start rate: `rate_per_host: 10` never goes below 1. */
  readonly minRateShare: number;
  /** Obey robots.txt. */
  readonly obeyRobots: boolean;
  /** Per-request total deadline (connect, headers, body, every redirect hop). */
  readonly timeoutMs: number;
  /** Body cap, on received and on decompressed bytes. */
  readonly maxBodyBytes: number;
  /** Redirects followed before failing with `redirect_limit`. */
  readonly maxRedirects: number;
  /** Longer URLs fail with `url_too_long` (and are not enqueued). */
  readonly maxUrlLength: number;
  /** The retry policy: attempts, backoff, and the statuses and reasons that retry. */
  readonly retry: typeof DEFAULT_RETRY_POLICY;
  /** The rate limiter's pace rules. */
  readonly pace: PaceDefaults;
}

/** The fetch defaults. Frozen, nested lists included. */
export const FETCH_DEFAULTS: FetchDefaults = Object.freeze({
  userAgent: "trawl/0.1 (+https://github.com/trawl)",
  concurrency: 8,
  autoConcurrency: Object.freeze({ start: 4, min: 1, max: 64 }),
  ratePerHost: 10,
  minRateShare: 0.1,
  obeyRobots: true,
  timeoutMs: 30_000,
  maxBodyBytes: 10 * MiB,
  maxRedirects: 10,
  maxUrlLength: 2048,
  retry: DEFAULT_RETRY_POLICY,
  pace: Object.freeze({
    cutFactor: 0.7,
    recoverMs: 2000,
    probeMs: 20_000,
    cooldownMs: 1000,
    quietMs: 1500,
    goodputWindowMs: 30_000,
    goodputMinResponses: 50,
    maxBlockMs: 300_000,
    throttleStatuses: Object.freeze([429, 503]),
  }),
});

/** A host's rate: where it starts, its floor and its ceiling (requests/second). */
export interface RateBounds {
  start: number;
  min: number;
  max: number;
}

/**
 * The bounds of a rate as a definition may give it: only `start` (a plain `rate_per_host: n`)
 * moves between `n × minRateShare` and `n`, never faster than asked. A given `min` above `start`
 * is lowered to it, a `max` below `start` raised to it.
 */
export function rateBounds(start: number, min?: number, max?: number): RateBounds {
  return {
    start,
    min: Math.min(min ?? start * FETCH_DEFAULTS.minRateShare, start),
    max: Math.max(max ?? start, start),
  };
}
